# shellcheck shell=sh
# Coherency: after overwrite, truncate, delete/re-create, append and
# direct I/O, every read (from the page cache, from tmem or from disk)
# returns what was last written. A shadow copy of every file in tmpfs
# (never cached by cleancache) holds the expected contents.
# disks: ext4:256M
# timeout: 240
# xen: coherency tmem

FILES="c1 c2 c3 c4 c5 c6 c7 c8 c9 c10 c11 c12"
SH=/tmp/shadow
mkdir -p "$SH"
echo 0 > /tmp/recreated
echo 0 > /tmp/reused

# chunk KIB: fresh random data in /tmp/chunk.
chunk() {
	dd if=/dev/urandom of=/tmp/chunk bs=1k count="$1" 2> /dev/null
}

# mutate FILE DDARG...: the same dd of /tmp/chunk into both copies.
mutate() {
	_f=$1
	shift
	dd if=/tmp/chunk of="$SH/$_f" conv=notrunc "$@" 2> /dev/null
	dd if=/tmp/chunk of="/mnt/$_f" conv=notrunc "$@" 2> /dev/null
}

# create FILE KIB: new random contents in both copies.
create() {
	chunk "$2"
	cp /tmp/chunk "$SH/$1"
	cp /tmp/chunk "/mnt/$1"
}

# inode_of FILE: the inode number (what `ls -i` shows).
inode_of() {
	stat -c %i "$1"
}

# verify TAG: every disk file equals its shadow.
verify() {
	for _f in $FILES; do
		check_eq "$1: $_f" "$(sha_of "$SH/$_f")" "$(sha_of "/mnt/$_f")"
	done
}

# change ROUND INDEX FILE: one of eight kinds of change.
change() {
	_size=$(stat -c %s "$SH/$3")
	case $((($1 + $2) % 8)) in
	0)
		info "$3: overwrite 3 aligned pages in place"
		chunk 12
		mutate "$3" bs=4096 seek=$(($2 * 3 + $1)) count=3
		;;
	1)
		info "$3: overwrite unaligned bytes in place"
		chunk 7
		mutate "$3" bs=1000 seek=$((37 + $1 * 11)) count=7
		;;
	2)
		info "$3: truncate to $((_size / 2 - 123)), re-extend with a hole, write in it"
		truncate -s $((_size / 2 - 123)) "$SH/$3" "/mnt/$3"
		truncate -s "$_size" "$SH/$3" "/mnt/$3"
		chunk 8
		mutate "$3" bs=4096 seek=$((_size * 3 / 4 / 4096)) count=2
		;;
	3)
		info "$3: truncate to 0 and re-extend with new data"
		truncate -s 0 "$SH/$3" "/mnt/$3"
		chunk $((_size / 1024))
		mutate "$3" bs=1k
		;;
	4)
		_old=$(inode_of "/mnt/$3")
		rm "$SH/$3" "/mnt/$3"
		create "$3" $((900 + $2 * 20))
		_new=$(inode_of "/mnt/$3")
		info "$3: deleted and re-created, inode $_old -> $_new"
		echo $(($(cat /tmp/recreated) + 1)) > /tmp/recreated
		[ "$_old" != "$_new" ] || echo $(($(cat /tmp/reused) + 1)) > /tmp/reused
		;;
	5)
		info "$3: append 300 KiB"
		chunk 300
		mutate "$3" oflag=append bs=1k
		;;
	6)
		info "$3: direct-I/O overwrite of 4 pages"
		chunk 16
		dd if=/tmp/chunk of="$SH/$3" conv=notrunc bs=4096 seek=$(($1 + 1)) 2> /dev/null
		check "$3: O_DIRECT write" dd if=/tmp/chunk of="/mnt/$3" \
			conv=notrunc oflag=direct bs=4096 seek=$(($1 + 1)) 2> /dev/null
		;;
	7)
		info "$3: unchanged"
		;;
	esac
}

load_both
mount_disk /dev/vda /mnt
hits0=$(tmem_stat hits)

i=0
for f in $FILES; do
	i=$((i + 1))
	create "$f" $((1024 + i * 37))
done

for round in 1 2 3; do
	info "round $round"
	# Pages read from disk and then evicted are put into tmem.
	drop_caches
	read_all /mnt/c*
	drop_caches
	report "round$round-before-changes"
	i=0
	for f in $FILES; do
		i=$((i + 1))
		change "$round" "$i" "$f"
	done
	verify "round $round cached"
	# Round 2 also evicts the inodes (and so their pages in tmem).
	mode=1
	[ "$round" != 2 ] || mode=3
	drop_caches "$mode"
	verify "round $round after drop_caches $mode"
	# Uncached again, so that the reads below are charged to the memory
	# cgroup, which then has to evict (put) and re-read (get) pages.
	drop_caches
	memcg_enter "coherency$round" 8M
	verify "round $round memcg pass 1"
	verify "round $round memcg pass 2"
	memcg_leave "coherency$round"
	report "round$round-end"
done

drop_caches
check "umount /mnt" umount /mnt
mount_disk /dev/vda /mnt
verify "after remount"
echo "REPORT[coherency] recreated=$(cat /tmp/recreated) inode_numbers_reused=$(cat /tmp/reused)"
check_gt "xen_tmem hits" "$(tmem_stat hits)" "$hits0"
check_gt "cleancache succ_gets" "$(cc_stat succ_gets)" 0
check "umount /mnt" umount /mnt
