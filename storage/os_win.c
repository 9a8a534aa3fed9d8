/* os_win.c: placeholder, replaced by its owner this session. */
typedef int st_placeholder_os_win;
