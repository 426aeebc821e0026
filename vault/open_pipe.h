/* open_pipe.h - decrypting leads on a second thread while the caller's
 * thread reads the next ones from the store and writes the opened ones
 * out. The caller adds leads (their sealed values are copied, in chunks)
 * and receives each lead's plaintext, in the order added, through a
 * callback on its own thread; plaintext lives in guarded memory, wiped
 * once the callback returns. */
#ifndef LV_OPEN_PIPE_H
#define LV_OPEN_PIPE_H

#include "store.h"
#include "session.h"

typedef struct open_pipe open_pipe;

/* values[f] / lens[f] as lead_open_fields gives them (NULL when the field
 * is not asked or empty). Non-zero stops the pipe; that value is returned
 * by open_pipe_add or open_pipe_finish. */
typedef int (*open_pipe_fn)(void *ctx, const unsigned char id[LV_ID_BYTES],
                            char *const values[LV_FIELD_COUNT], const size_t lens[LV_FIELD_COUNT]);

/* A pipe opening the fields of mask. threaded: 0 opens on the caller's
 * thread (for a handful of leads a thread costs more than it saves). */
int open_pipe_new(open_pipe **out, const lv_vault *vault, uint32_t mask, open_pipe_fn fn, void *ctx,
                  int threaded);
/* Queue a lead; may deliver earlier ones. A lead that fails to open is
 * LV_ECORRUPT naming lead and field; the leads before it are delivered. */
int open_pipe_add(open_pipe *p, const store_lead *lead);
/* Deliver every lead still queued. */
int open_pipe_finish(open_pipe *p);
/* Stop the thread, wipe and free. */
void open_pipe_free(open_pipe *p);

#endif
