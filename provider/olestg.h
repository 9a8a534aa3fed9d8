/*
 * olestg.h: an ILockBytes of our own over an IStream (olestg.c), so ole32's
 * structured storage (StgCreateDocfileOnILockBytes /
 * StgOpenStorageOnILockBytes) can keep an OLE attachment's compound file
 * in the attachment's data stream (PR_ATTACH_DATA_OBJ as IID_IStorage,
 * attach.c). The stream is one of stream.h: a spool, so the file may be
 * any size and is never held in memory.
 *
 * ReadAt / WriteAt are a Seek then a Read / Write, made atomic by a lock of
 * the object's own; Flush is the stream's Commit (which hands a written
 * spool to the attachment); SetSize and Stat are the stream's. No region
 * locks (Stat says so: ole32 then takes none); LockRegion / UnlockRegion
 * answer STG_E_INVALIDFUNCTION.
 * Never: read or write outside what the stream holds (its own checks), or
 * outlive the stream it was given (it holds a reference until its last
 * Release).
 */
#ifndef MAPIDAV_PROVIDER_OLESTG_H
#define MAPIDAV_PROVIDER_OLESTG_H

#include <windows.h>
#include <objidl.h>

/* A new ILockBytes over st (AddRef'd), counted as a live object. */
HRESULT md_lockbytes_new(IStream *st, ILockBytes **out);

#endif
