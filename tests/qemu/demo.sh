#!/bin/sh
# The demo of the README: boot the test kernel with the emulated tmem
# hypervisor and show what xen_tmem saves. See tests/qemu/demo/demo.sh.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
"$top/tests/setup-host.sh"
exec "$top/tests/qemu/run.sh" "$top/tests/qemu/demo/demo.sh"
