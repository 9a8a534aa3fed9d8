/* charset_iconv.c: placeholder, replaced by its owner this session. */
typedef int cv_placeholder_charset_iconv;
