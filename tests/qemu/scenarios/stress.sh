# shellcheck shell=sh
# Stress: two readers verify checksums in a small memory cgroup while a
# writer rewrites its own files, page cache is dropped in a loop and the
# cache is switched off and on again and again (2 vCPUs, so the races are
# real). Any wrong byte is a failure; the kernel log must stay clean.
# disks: ext4:256M
# timeout: 240

PASSES=${PASSES:-8}

load_both
mount_disk /dev/vda /mnt
mkdir -p /mnt/w /tmp/shadow
for i in 1 2 3 4 5 6 7 8; do
	fill_file /mnt/r$i 2
done
sums_record /tmp/sums /mnt/r*
for i in 1 2; do
	fill_file /tmp/shadow/w$i 1
	cp /tmp/shadow/w$i /mnt/w/w$i
done
drop_caches 3
read_all /mnt/r*
drop_caches
rm -f /tmp/stop /tmp/bad.*

# reader ID: verify every file PASSES times; mismatches go to /tmp/bad.ID.
reader() {
	p=0
	while [ "$p" -lt "$PASSES" ]; do
		while read -r sum file; do
			[ "$(sha_of "$file")" = "$sum" ] ||
				echo "pass $p: $file" >> "/tmp/bad.$1"
		done < /tmp/sums
		p=$((p + 1))
	done
}

# writer: rewrite, truncate and append its files, checking each result.
writer() {
	k=0
	while [ ! -e /tmp/stop ]; do
		f=w$((k % 2 + 1))
		dd if=/dev/urandom of=/tmp/chunk bs=4k count=$((k % 7 + 1)) 2> /dev/null
		case $((k % 3)) in
		0) args="conv=notrunc bs=4k seek=$((k % 50))" ;;
		1) args="conv=notrunc oflag=append bs=4k" ;;
		2)
			truncate -s $((k * 4096 % 300000)) /tmp/shadow/$f /mnt/w/$f
			args="conv=notrunc bs=1k seek=$((k % 300))"
			;;
		esac
		# shellcheck disable=SC2086 # args is a list of dd operands
		dd if=/tmp/chunk of=/tmp/shadow/$f $args 2> /dev/null
		# shellcheck disable=SC2086
		dd if=/tmp/chunk of=/mnt/w/$f $args 2> /dev/null
		[ "$(sha_of /tmp/shadow/$f)" = "$(sha_of /mnt/w/$f)" ] ||
			echo "write $k: $f" >> /tmp/bad.writer
		k=$((k + 1))
	done
	echo "$k" > /tmp/writes
}

dropper() {
	while [ ! -e /tmp/stop ]; do
		echo 1 > /proc/sys/vm/drop_caches
		usleep 250000
	done
}

toggler() {
	n=0
	while [ ! -e /tmp/stop ]; do
		echo 0 > "$XT_PARAMS/enabled"
		usleep 200000
		echo 1 > "$XT_PARAMS/enabled"
		usleep 400000
		n=$((n + 1))
	done
	echo "$n" > /tmp/toggles
}

# Only the readers go into the memory cgroup: the writer's shadow copies
# live in tmpfs, which the cgroup could not reclaim without swap.
writer &
wpid=$!
dropper &
dpid=$!
toggler &
tpid=$!
memcg_enter stress 8M
reader 1 &
r1=$!
reader 2 &
r2=$!
wait "$r1"
wait "$r2"
memcg_leave stress
touch /tmp/stop
wait "$wpid"
wait "$dpid"
wait "$tpid"
report after-stress
echo "REPORT[stress] passes=$PASSES writes=$(cat /tmp/writes) toggles=$(cat /tmp/toggles)"

for b in 1 2 writer; do
	check "$b: no wrong data" test ! -s "/tmp/bad.$b"
	[ ! -s "/tmp/bad.$b" ] || head -n 20 "/tmp/bad.$b" | sed 's/^/INFO: wrong: /'
done
check_eq "enabled is Y at the end" Y "$(param enabled)"
check_gt "toggled at least 3 times" "$(cat /tmp/toggles)" 2
drop_caches
sums_verify "after stress" /tmp/sums
for i in 1 2; do
	check_eq "after stress: w$i" "$(sha_of /tmp/shadow/w$i)" "$(sha_of /mnt/w/w$i)"
done
check_gt "hits" "$(tmem_stat hits)" 0
check "umount /mnt" umount /mnt
