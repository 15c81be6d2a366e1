// SPDX-License-Identifier: GPL-2.0
/*
 * xen-tmem: the tmem operations, built as the hypervisor expects them.
 *
 * Every op is zeroed before it is filled in, so no uninitialised byte
 * (padding, unused union members) ever reaches the hypervisor.
 */
#include <linux/mm.h>
#include <linux/string.h>

#include "xtmem.h"

const struct xtmem_transport *xtmem_hv;

static int xtmem_hv_call(struct xtmem_op *op)
{
	int ret = xtmem_hv->tmem_op(op);

	xtmem_count_hcall(op->cmd, ret);
	return ret;
}

int xtmem_hv_new_pool(const u64 uuid[2], u32 flags)
{
	struct xtmem_op op;

	memset(&op, 0, sizeof(op));
	op.cmd = XTMEM_NEW_POOL;
	op.u.creat.uuid[0] = uuid[0];
	op.u.creat.uuid[1] = uuid[1];
	op.u.creat.flags = flags;
	return xtmem_hv_call(&op);
}

int xtmem_hv_destroy_pool(int hv_id)
{
	struct xtmem_op op;

	memset(&op, 0, sizeof(op));
	op.cmd = XTMEM_DESTROY_POOL;
	op.pool_id = hv_id;
	return xtmem_hv_call(&op);
}

static void xtmem_hv_gen(struct xtmem_op *op, u32 cmd, int hv_id,
			 const u64 oid[3], u32 index)
{
	memset(op, 0, sizeof(*op));
	op->cmd = cmd;
	op->pool_id = hv_id;
	op->u.gen.oid[0] = oid[0];
	op->u.gen.oid[1] = oid[1];
	op->u.gen.oid[2] = oid[2];
	op->u.gen.index = index;
}

/* PUT_PAGE or GET_PAGE of one whole page. */
int xtmem_hv_page(u32 cmd, int hv_id, const u64 oid[3], u32 index,
		  struct page *page)
{
	struct xtmem_op op;

	xtmem_hv_gen(&op, cmd, hv_id, oid, index);
	op.u.gen.cmfn = xtmem_hv->page_to_frame(page);
	if (cmd == XTMEM_PUT_PAGE)
		mb();	/* the hypervisor reads the page through its own mapping */
	return xtmem_hv_call(&op);
}

int xtmem_hv_flush_page(int hv_id, const u64 oid[3], u32 index)
{
	struct xtmem_op op;

	xtmem_hv_gen(&op, XTMEM_FLUSH_PAGE, hv_id, oid, index);
	return xtmem_hv_call(&op);
}

int xtmem_hv_flush_object(int hv_id, const u64 oid[3])
{
	struct xtmem_op op;

	xtmem_hv_gen(&op, XTMEM_FLUSH_OBJECT, hv_id, oid, 0);
	return xtmem_hv_call(&op);
}
