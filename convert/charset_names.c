/* charset_names.c: placeholder, replaced by its owner this session. */
typedef int cv_placeholder_charset_names;
