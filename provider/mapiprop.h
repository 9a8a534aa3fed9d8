/*
 * mapiprop.h: the IMAPIProp method bodies every object of the provider
 * shares (store, folder, message, attachment): one implementation,
 * parameterised by an object's callbacks (md_prop_ops), never a copy per
 * object.
 *
 *  - GetProps / GetPropList over a bag the object computes on each call;
 *  - SetProps / DeleteProps: arguments and types checked, computed and
 *    read-only tags refused per value (MAPI_E_COMPUTED in the problem
 *    array), the rest handed to the object's write callback (a folder
 *    writes at once, a message keeps them until SaveChanges);
 *  - CopyTo / CopyProps to any IMAPIProp (through its own SetProps), with
 *    exclusions, MAPI_NOREPLACE and MAPI_MOVE; MAPI_DIALOG reports progress
 *    (md_progress_*: values one item, subobjects another); subobjects (recipients,
 *    attachments) through the object's copy_sub callback when it has one;
 *  - GetLastError: the last storage message of this thread (st_error_last).
 * Named properties are in names.h.
 * Never: keep a bag beyond the call (it is built fresh each time); hand
 * MAPI memory that did not come from the object's allocators.
 */
#ifndef MAPIDAV_PROVIDER_MAPIPROP_H
#define MAPIDAV_PROVIDER_MAPIPROP_H

#include <mapispi.h>   /* IMAPISupport (progress dialog) */

#include "provider/propconv.h"
#include "provider/shutdown.h"

/* Builds the object's bag: NULL with *hr on failure. */
typedef st_bag *(*md_bag_fn)(void *obj, HRESULT *hr);

/* Callbacks of an object. The object (obj) begins with its COM interface,
 * an IMAPIProp: CopyTo calls its OpenProperty for values kept as streams. */
typedef struct md_prop_ops {
    md_bag_fn build;   /* every value, computed ones included */
    /* Applies set (may be NULL) and removes the n_del tags of del: S_OK or
     * the MAPI error. NULL: the object is read-only (MAPI_E_NO_ACCESS). */
    HRESULT (*write)(void *obj, const st_bag *set, const uint32_t *del, size_t n_del);
    /* 1 when tag is computed or read-only on this object (refused by
     * SetProps / DeleteProps, not copied by CopyTo). */
    int (*computed)(void *obj, uint32_t tag);
    /* S_OK when writes are allowed now, else the error (MAPI_E_NO_ACCESS
     * for a read-only open). NULL: always allowed. */
    HRESULT (*can_write)(void *obj);
    /* CopyTo / CopyProps of subobjects (PR_MESSAGE_RECIPIENTS,
     * PR_MESSAGE_ATTACHMENTS ...) to dest unless excluded. NULL: none. */
    HRESULT (*copy_sub)(void *obj, IMAPIProp *dest, const SPropTagArray *exclude,
        int include_mode, ULONG flags);
} md_prop_ops;

/* GetLastError without the object's allocators: no information (*error
 * NULL). Prefer md_prop_last_error. */
HRESULT md_prop_get_last_error(ULONG flags, LPMAPIERROR *error);
/* GetLastError: st_error_last() of this thread in a MAPIERROR (UTF-16 with
 * MAPI_UNICODE, else 8-bit), component "mapidav", context hr. */
HRESULT md_prop_last_error(const md_alloc *a, HRESULT hr, ULONG flags, LPMAPIERROR *error);

HRESULT md_prop_get_props(md_bag_fn build, void *obj, const md_alloc *a,
    LPSPropTagArray tags, ULONG flags, ULONG *count, LPSPropValue *props);
HRESULT md_prop_get_prop_list(md_bag_fn build, void *obj, const md_alloc *a, ULONG flags,
    LPSPropTagArray *list);

HRESULT md_prop_set_props(const md_prop_ops *ops, void *obj, const md_alloc *a, ULONG n,
    LPSPropValue props, LPSPropProblemArray *problems);
HRESULT md_prop_delete_props(const md_prop_ops *ops, void *obj, const md_alloc *a,
    LPSPropTagArray tags, LPSPropProblemArray *problems);
/* The progress arguments of CopyTo / CopyProps and where MAPI's own
 * progress object comes from (NULL: no progress at all). */
typedef struct md_prop_ui {
    LPMAPISUP sup;             /* IMAPISupport::DoProgressDialog, or NULL */
    ULONG ui;                  /* ulUIParam: the parent window */
    LPMAPIPROGRESS progress;   /* the caller's lpProgress, or NULL */
} md_prop_ui;
HRESULT md_prop_copy_to(const md_prop_ops *ops, void *obj, const md_alloc *a,
    const md_prop_ui *ui, ULONG n_iid, LPCIID iids, LPSPropTagArray exclude, LPCIID iid,
    LPVOID dest, ULONG flags, LPSPropProblemArray *problems);
HRESULT md_prop_copy_props(const md_prop_ops *ops, void *obj, const md_alloc *a,
    const md_prop_ui *ui, LPSPropTagArray include, LPCIID iid, LPVOID dest, ULONG flags,
    LPSPropProblemArray *problems);

/* Progress with MAPI_DIALOG ("Display a progress indicator"): open gives
 * the object to report through (given AddRef'd, else MAPI's from
 * IMAPISupport::DoProgressDialog(ui, MAPI_TOP_LEVEL), else NULL: no UI, the
 * work goes on), NULL without dialog. step reports item done of total: on
 * a MAPI_TOP_LEVEL object Progress(1000 * done / total, done, total), on a
 * subobject's within its GetMin..GetMax with counts 0. NULL-safe; close
 * releases. No lock may be held around them. */
LPMAPIPROGRESS md_progress_open(LPMAPISUP sup, ULONG ui, LPMAPIPROGRESS given, int dialog);
void md_progress_step(LPMAPIPROGRESS p, ULONG done, ULONG total);
void md_progress_close(LPMAPIPROGRESS p);

/* The problem array of SetProps & co.: entries added one by one, handed
 * over (or dropped when the caller passed no out-pointer). */
typedef struct md_problems {
    SPropProblem *p;   /* malloc'd */
    size_t n, cap;
} md_problems;
int md_problems_add(md_problems *pr, ULONG index, ULONG tag, SCODE err);
/* Gives the entries to *out (one allocate-buffer, NULL when none) and
 * empties pr: S_OK or MAPI_E_NOT_ENOUGH_MEMORY. out may be NULL. */
HRESULT md_problems_give(md_problems *pr, const md_alloc *a, LPSPropProblemArray *out);

/* 1 when the CopyTo / CopyProps list (exclusions, or with include_mode
 * the tags asked for) lets tag's id through: for copy_sub callbacks. */
int md_prop_wanted(const SPropTagArray *list, int include_mode, ULONG tag);

/* 1 when tag's type is one a client may write (not PT_ERROR, PT_NULL,
 * PT_OBJECT, PT_UNSPECIFIED, an unknown type, id 0 or 0xFFFF). */
int md_prop_tag_writable(ULONG tag);

/* The IMAPIProp methods every object forwards the same way, defined for
 * interface type ITYPE as static PFX_GetLastError, PFX_SetProps,
 * PFX_DeleteProps, PFX_CopyTo, PFX_CopyProps, PFX_GetNamesFromIDs and
 * PFX_GetIDsFromNames (the file includes names.h): OBJ(iface) is the object
 * given to the callbacks of OPS (an md_prop_ops), STORE(iface) its md_store.
 * One definition instead of the same seven thunks in every object's file.
 * After fast shutdown each answers MAPI_E_CALL_FAILED (shutdown.h). */
#define MD_PROP_FORWARDERS(PFX, ITYPE, OBJ, STORE, OPS) \
static HRESULT STDMETHODCALLTYPE PFX##_GetLastError(ITYPE *iface, HRESULT hr, ULONG flags, \
    LPMAPIERROR *error) \
{ \
    MD_SHUT_GATE(); \
    return md_prop_last_error(&STORE(iface)->alloc, hr, flags, error); \
} \
static HRESULT STDMETHODCALLTYPE PFX##_SetProps(ITYPE *iface, ULONG n, LPSPropValue props, \
    LPSPropProblemArray *problems) \
{ \
    MD_SHUT_GATE(); \
    return md_prop_set_props(&OPS, OBJ(iface), &STORE(iface)->alloc, n, props, problems); \
} \
static HRESULT STDMETHODCALLTYPE PFX##_DeleteProps(ITYPE *iface, LPSPropTagArray tags, \
    LPSPropProblemArray *problems) \
{ \
    MD_SHUT_GATE(); \
    return md_prop_delete_props(&OPS, OBJ(iface), &STORE(iface)->alloc, tags, problems); \
} \
static HRESULT STDMETHODCALLTYPE PFX##_CopyTo(ITYPE *iface, ULONG n_iid, LPCIID iids, \
    LPSPropTagArray exclude, ULONG ui, LPMAPIPROGRESS progress, LPCIID iid, LPVOID dest, \
    ULONG flags, LPSPropProblemArray *problems) \
{ \
    MD_SHUT_GATE(); \
    md_prop_ui pui = { STORE(iface)->sup, ui, progress }; \
    return md_prop_copy_to(&OPS, OBJ(iface), &STORE(iface)->alloc, &pui, n_iid, iids, \
        exclude, iid, dest, flags, problems); \
} \
static HRESULT STDMETHODCALLTYPE PFX##_CopyProps(ITYPE *iface, LPSPropTagArray include, \
    ULONG ui, LPMAPIPROGRESS progress, LPCIID iid, LPVOID dest, ULONG flags, \
    LPSPropProblemArray *problems) \
{ \
    MD_SHUT_GATE(); \
    md_prop_ui pui = { STORE(iface)->sup, ui, progress }; \
    return md_prop_copy_props(&OPS, OBJ(iface), &STORE(iface)->alloc, &pui, include, iid, \
        dest, flags, problems); \
} \
static HRESULT STDMETHODCALLTYPE PFX##_GetNamesFromIDs(ITYPE *iface, LPSPropTagArray *tags, \
    LPGUID guid, ULONG flags, ULONG *count, LPMAPINAMEID **names) \
{ \
    MD_SHUT_GATE(); \
    return md_ids_to_names(STORE(iface), tags, guid, flags, count, names); \
} \
static HRESULT STDMETHODCALLTYPE PFX##_GetIDsFromNames(ITYPE *iface, ULONG n, \
    LPMAPINAMEID *names, ULONG flags, LPSPropTagArray *tags) \
{ \
    MD_SHUT_GATE(); \
    return md_names_to_ids(STORE(iface), n, names, flags, tags); \
}

#endif
