/* store_group.h - group commit: the handles of one vault in one process
 * (a server's sessions) share one writer connection, and the write
 * transactions they run at the same time are nested transactions of one
 * transaction on it, committed together: one commit, one fsync, for all
 * of them.
 *
 * A member's store_begin waits while another member works on the writer
 * or a commit runs, then opens the writer's transaction if none is open
 * and a savepoint in it; every store call of the member then goes to the
 * writer (store.h, store_at). Its store_commit keeps the savepoint's
 * changes in the transaction and waits: the member that sees nobody else
 * waiting to join commits the transaction (the leader), and every member
 * of it gets that commit's result. So store_commit returns 0 only once
 * the commit that holds the member's changes is durable, and fails, in
 * every member, when that commit fails (each then fails closed as a lone
 * commit would). A member's store_rollback undoes its savepoint only.
 * The audit entries of one transaction follow each other in the one hash
 * chain, in the order their members appended them.
 *
 * Reads outside a write transaction run on each member's own connection,
 * in parallel with the writer. */
#ifndef LV_STORE_GROUP_H
#define LV_STORE_GROUP_H

#include "store.h"

/* Join st (an unlocked handle's own store) to group, whose writer then
 * uses key, the vault's state-digest key: the group keeps a copy in
 * guarded memory while it has a member, wiped when the last one leaves.
 * LV_EINVAL when key is not of the group's vault. */
int store_group_join(store *st, struct lv_group *group, const store_digest *key);
/* Give st's group the vault's new state-digest key (after a rekey, which
 * ran solo): LV_EBUSY unless st is the group's only member, since every
 * other member would still write under the old key. */
int store_group_rekey(store *st, const store_digest *key);
/* The number of handles in st's group (st included). */
unsigned store_group_members(store *st);

#endif
