/*
 * html_text.c: HTML to readable plain text, with the small HTML tokenizer and
 * the character-reference table the body converters share.
 *
 * The tokenizer is a single forward scan: text, tags (quotes honoured after
 * '='), comments, declarations; markup cut by the end of the input ends
 * there. The converter keeps a little layout state: pending line breaks, the
 * list stack, table cells, the open link, <pre> depth, and an element whose
 * content is skipped. Every scan moves forward, so time is linear.
 *
 * In chunks (cv_html_to_text_push, what cv_html_to_text wraps): a token
 * that may go on after the chunk (markup not closed, a <script> or <style>
 * without its end tag, text at the end) waits for more input; long text is
 * cut where push.c says it is safe. The text goes to the sink as it is
 * final: not the spaces and line ends at its end, nor an open link's text.
 *
 * Invariants: output is valid UTF-8 (invalid input bytes become U+FFFD);
 * list nesting is tracked to MAX_LISTS levels and indented to MAX_INDENT,
 * so no input can blow the output up more than a small constant.
 *
 * Never: recurse, look back further than the current line, or emit text
 * from <head>, <script>, <style>, <template>, <title> or comments.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "convert/rtf.h"
#include "storage/error.h"

/* ==== Character references ==== */

typedef struct entity {
    const char *name;   /* without '&' and ';', sorted by strcmp */
    uint32_t cp;        /* its code point */
    uint8_t legacy;     /* 1: also recognised without ';' */
} entity;

static const entity entities[] = {
    { "AElig", 0x00C6, 1 },
    { "AMP", 0x0026, 1 },
    { "Aacute", 0x00C1, 1 },
    { "Acirc", 0x00C2, 1 },
    { "Agrave", 0x00C0, 1 },
    { "Alpha", 0x0391, 0 },
    { "Aogon", 0x0104, 0 },
    { "Aring", 0x00C5, 1 },
    { "Atilde", 0x00C3, 1 },
    { "Auml", 0x00C4, 1 },
    { "Beta", 0x0392, 0 },
    { "COPY", 0x00A9, 1 },
    { "Cacute", 0x0106, 0 },
    { "Ccaron", 0x010C, 0 },
    { "Ccedil", 0x00C7, 1 },
    { "Chi", 0x03A7, 0 },
    { "Dagger", 0x2021, 0 },
    { "Dcaron", 0x010E, 0 },
    { "Delta", 0x0394, 0 },
    { "Dot", 0x00A8, 0 },
    { "DoubleDot", 0x00A8, 0 },
    { "Dstrok", 0x0110, 0 },
    { "ENG", 0x014A, 0 },
    { "ETH", 0x00D0, 1 },
    { "Eacute", 0x00C9, 1 },
    { "Ecaron", 0x011A, 0 },
    { "Ecirc", 0x00CA, 1 },
    { "Egrave", 0x00C8, 1 },
    { "Eogon", 0x0118, 0 },
    { "Epsilon", 0x0395, 0 },
    { "Eta", 0x0397, 0 },
    { "Euml", 0x00CB, 1 },
    { "GT", 0x003E, 1 },
    { "Gamma", 0x0393, 0 },
    { "Gbreve", 0x011E, 0 },
    { "Hat", 0x005E, 0 },
    { "Iacute", 0x00CD, 1 },
    { "Icirc", 0x00CE, 1 },
    { "Idot", 0x0130, 0 },
    { "Igrave", 0x00CC, 1 },
    { "Iota", 0x0399, 0 },
    { "Iuml", 0x00CF, 1 },
    { "Kappa", 0x039A, 0 },
    { "LT", 0x003C, 1 },
    { "Lambda", 0x039B, 0 },
    { "Leftarrow", 0x21D0, 0 },
    { "Lstrok", 0x0141, 0 },
    { "MediumSpace", 0x205F, 0 },
    { "Mu", 0x039C, 0 },
    { "Nacute", 0x0143, 0 },
    { "Ncaron", 0x0147, 0 },
    { "NewLine", 0x000A, 0 },
    { "NoBreak", 0x2060, 0 },
    { "NonBreakingSpace", 0x00A0, 0 },
    { "Ntilde", 0x00D1, 1 },
    { "Nu", 0x039D, 0 },
    { "OElig", 0x0152, 0 },
    { "Oacute", 0x00D3, 1 },
    { "Ocirc", 0x00D4, 1 },
    { "Odblac", 0x0150, 0 },
    { "Ograve", 0x00D2, 1 },
    { "Omega", 0x03A9, 0 },
    { "Omicron", 0x039F, 0 },
    { "Oslash", 0x00D8, 1 },
    { "Otilde", 0x00D5, 1 },
    { "Ouml", 0x00D6, 1 },
    { "Phi", 0x03A6, 0 },
    { "Pi", 0x03A0, 0 },
    { "Prime", 0x2033, 0 },
    { "Psi", 0x03A8, 0 },
    { "QUOT", 0x0022, 1 },
    { "REG", 0x00AE, 1 },
    { "Rcaron", 0x0158, 0 },
    { "Rho", 0x03A1, 0 },
    { "Rightarrow", 0x21D2, 0 },
    { "Sacute", 0x015A, 0 },
    { "Scaron", 0x0160, 0 },
    { "Scedil", 0x015E, 0 },
    { "Sigma", 0x03A3, 0 },
    { "THORN", 0x00DE, 1 },
    { "TRADE", 0x2122, 0 },
    { "Tab", 0x0009, 0 },
    { "Tau", 0x03A4, 0 },
    { "Tcaron", 0x0164, 0 },
    { "Theta", 0x0398, 0 },
    { "ThinSpace", 0x2009, 0 },
    { "Uacute", 0x00DA, 1 },
    { "Ucirc", 0x00DB, 1 },
    { "Udblac", 0x0170, 0 },
    { "Ugrave", 0x00D9, 1 },
    { "Upsilon", 0x03A5, 0 },
    { "Uring", 0x016E, 0 },
    { "Uuml", 0x00DC, 1 },
    { "Vert", 0x2016, 0 },
    { "VerticalLine", 0x007C, 0 },
    { "Xi", 0x039E, 0 },
    { "Yacute", 0x00DD, 1 },
    { "Yuml", 0x0178, 0 },
    { "Zacute", 0x0179, 0 },
    { "Zcaron", 0x017D, 0 },
    { "Zdot", 0x017B, 0 },
    { "ZeroWidthSpace", 0x200B, 0 },
    { "Zeta", 0x0396, 0 },
    { "aacute", 0x00E1, 1 },
    { "acirc", 0x00E2, 1 },
    { "acute", 0x00B4, 1 },
    { "aelig", 0x00E6, 1 },
    { "agrave", 0x00E0, 1 },
    { "alefsym", 0x2135, 0 },
    { "alpha", 0x03B1, 0 },
    { "amp", 0x0026, 1 },
    { "and", 0x2227, 0 },
    { "ang", 0x2220, 0 },
    { "angle", 0x2220, 0 },
    { "aogon", 0x0105, 0 },
    { "apos", 0x0027, 0 },
    { "approx", 0x2248, 0 },
    { "aring", 0x00E5, 1 },
    { "ast", 0x002A, 0 },
    { "asymp", 0x2248, 0 },
    { "atilde", 0x00E3, 1 },
    { "auml", 0x00E4, 1 },
    { "bdquo", 0x201E, 0 },
    { "beta", 0x03B2, 0 },
    { "bigstar", 0x2605, 0 },
    { "blacksquare", 0x25AA, 0 },
    { "blacktriangle", 0x25B4, 0 },
    { "blacktriangledown", 0x25BE, 0 },
    { "blacktriangleleft", 0x25C2, 0 },
    { "blacktriangleright", 0x25B8, 0 },
    { "boxh", 0x2500, 0 },
    { "boxv", 0x2502, 0 },
    { "brvbar", 0x00A6, 1 },
    { "bsol", 0x005C, 0 },
    { "bull", 0x2022, 0 },
    { "bullet", 0x2022, 0 },
    { "cacute", 0x0107, 0 },
    { "cap", 0x2229, 0 },
    { "caret", 0x2041, 0 },
    { "ccaron", 0x010D, 0 },
    { "ccedil", 0x00E7, 1 },
    { "cedil", 0x00B8, 1 },
    { "cent", 0x00A2, 1 },
    { "centerdot", 0x00B7, 0 },
    { "check", 0x2713, 0 },
    { "checkmark", 0x2713, 0 },
    { "chi", 0x03C7, 0 },
    { "cir", 0x25CB, 0 },
    { "circ", 0x02C6, 0 },
    { "clubs", 0x2663, 0 },
    { "clubsuit", 0x2663, 0 },
    { "colon", 0x003A, 0 },
    { "comma", 0x002C, 0 },
    { "commat", 0x0040, 0 },
    { "cong", 0x2245, 0 },
    { "copy", 0x00A9, 1 },
    { "copysr", 0x2117, 0 },
    { "crarr", 0x21B5, 0 },
    { "cross", 0x2717, 0 },
    { "cup", 0x222A, 0 },
    { "curren", 0x00A4, 1 },
    { "dArr", 0x21D3, 0 },
    { "dagger", 0x2020, 0 },
    { "darr", 0x2193, 0 },
    { "dash", 0x2010, 0 },
    { "dcaron", 0x010F, 0 },
    { "deg", 0x00B0, 1 },
    { "delta", 0x03B4, 0 },
    { "diam", 0x22C4, 0 },
    { "diamondsuit", 0x2666, 0 },
    { "diams", 0x2666, 0 },
    { "die", 0x00A8, 0 },
    { "div", 0x00F7, 0 },
    { "divide", 0x00F7, 1 },
    { "dollar", 0x0024, 0 },
    { "downarrow", 0x2193, 0 },
    { "dstrok", 0x0111, 0 },
    { "dtri", 0x25BF, 0 },
    { "dtrif", 0x25BE, 0 },
    { "eacute", 0x00E9, 1 },
    { "ecaron", 0x011B, 0 },
    { "ecirc", 0x00EA, 1 },
    { "egrave", 0x00E8, 1 },
    { "ell", 0x2113, 0 },
    { "empty", 0x2205, 0 },
    { "emsp", 0x2003, 0 },
    { "emsp13", 0x2004, 0 },
    { "emsp14", 0x2005, 0 },
    { "eng", 0x014B, 0 },
    { "ensp", 0x2002, 0 },
    { "eogon", 0x0119, 0 },
    { "epsilon", 0x03B5, 0 },
    { "equals", 0x003D, 0 },
    { "equiv", 0x2261, 0 },
    { "eta", 0x03B7, 0 },
    { "eth", 0x00F0, 1 },
    { "euml", 0x00EB, 1 },
    { "euro", 0x20AC, 0 },
    { "excl", 0x0021, 0 },
    { "exist", 0x2203, 0 },
    { "female", 0x2640, 0 },
    { "flat", 0x266D, 0 },
    { "fnof", 0x0192, 0 },
    { "forall", 0x2200, 0 },
    { "frac12", 0x00BD, 1 },
    { "frac13", 0x2153, 0 },
    { "frac14", 0x00BC, 1 },
    { "frac15", 0x2155, 0 },
    { "frac16", 0x2159, 0 },
    { "frac18", 0x215B, 0 },
    { "frac23", 0x2154, 0 },
    { "frac25", 0x2156, 0 },
    { "frac34", 0x00BE, 1 },
    { "frac35", 0x2157, 0 },
    { "frac38", 0x215C, 0 },
    { "frac45", 0x2158, 0 },
    { "frac56", 0x215A, 0 },
    { "frac58", 0x215D, 0 },
    { "frac78", 0x215E, 0 },
    { "frasl", 0x2044, 0 },
    { "gamma", 0x03B3, 0 },
    { "gbreve", 0x011F, 0 },
    { "ge", 0x2265, 0 },
    { "geq", 0x2265, 0 },
    { "grave", 0x0060, 0 },
    { "gt", 0x003E, 1 },
    { "hArr", 0x21D4, 0 },
    { "hairsp", 0x200A, 0 },
    { "half", 0x00BD, 0 },
    { "harr", 0x2194, 0 },
    { "hbar", 0x210F, 0 },
    { "hearts", 0x2665, 0 },
    { "heartsuit", 0x2665, 0 },
    { "hellip", 0x2026, 0 },
    { "horbar", 0x2015, 0 },
    { "hyphen", 0x2010, 0 },
    { "iacute", 0x00ED, 1 },
    { "icirc", 0x00EE, 1 },
    { "iexcl", 0x00A1, 1 },
    { "igrave", 0x00EC, 1 },
    { "image", 0x2111, 0 },
    { "imath", 0x0131, 0 },
    { "incare", 0x2105, 0 },
    { "infin", 0x221E, 0 },
    { "inodot", 0x0131, 0 },
    { "int", 0x222B, 0 },
    { "iota", 0x03B9, 0 },
    { "iquest", 0x00BF, 1 },
    { "isin", 0x2208, 0 },
    { "iuml", 0x00EF, 1 },
    { "jmath", 0x0237, 0 },
    { "kappa", 0x03BA, 0 },
    { "lArr", 0x21D0, 0 },
    { "lambda", 0x03BB, 0 },
    { "lang", 0x27E8, 0 },
    { "laquo", 0x00AB, 1 },
    { "larr", 0x2190, 0 },
    { "lbrace", 0x007B, 0 },
    { "lbrack", 0x005B, 0 },
    { "lceil", 0x2308, 0 },
    { "lcub", 0x007B, 0 },
    { "ldquo", 0x201C, 0 },
    { "ldquor", 0x201E, 0 },
    { "le", 0x2264, 0 },
    { "leftarrow", 0x2190, 0 },
    { "leftrightarrow", 0x2194, 0 },
    { "leq", 0x2264, 0 },
    { "lfloor", 0x230A, 0 },
    { "lne", 0x2A87, 0 },
    { "lowast", 0x2217, 0 },
    { "lowbar", 0x005F, 0 },
    { "loz", 0x25CA, 0 },
    { "lpar", 0x0028, 0 },
    { "lrm", 0x200E, 0 },
    { "lsaquo", 0x2039, 0 },
    { "lsqb", 0x005B, 0 },
    { "lsquo", 0x2018, 0 },
    { "lsquor", 0x201A, 0 },
    { "lstrok", 0x0142, 0 },
    { "lt", 0x003C, 1 },
    { "ltri", 0x25C3, 0 },
    { "ltrif", 0x25C2, 0 },
    { "macr", 0x00AF, 1 },
    { "male", 0x2642, 0 },
    { "mdash", 0x2014, 0 },
    { "micro", 0x00B5, 1 },
    { "middot", 0x00B7, 1 },
    { "minus", 0x2212, 0 },
    { "mu", 0x03BC, 0 },
    { "nabla", 0x2207, 0 },
    { "nacute", 0x0144, 0 },
    { "natural", 0x266E, 0 },
    { "nbsp", 0x00A0, 1 },
    { "ncaron", 0x0148, 0 },
    { "ndash", 0x2013, 0 },
    { "ne", 0x2260, 0 },
    { "ni", 0x220B, 0 },
    { "nldr", 0x2025, 0 },
    { "not", 0x00AC, 1 },
    { "notin", 0x2209, 0 },
    { "nsub", 0x2284, 0 },
    { "ntilde", 0x00F1, 1 },
    { "nu", 0x03BD, 0 },
    { "num", 0x0023, 0 },
    { "numero", 0x2116, 0 },
    { "numsp", 0x2007, 0 },
    { "oacute", 0x00F3, 1 },
    { "ocirc", 0x00F4, 1 },
    { "odblac", 0x0151, 0 },
    { "oelig", 0x0153, 0 },
    { "ograve", 0x00F2, 1 },
    { "ohm", 0x03A9, 0 },
    { "oline", 0x203E, 0 },
    { "omega", 0x03C9, 0 },
    { "omicron", 0x03BF, 0 },
    { "oplus", 0x2295, 0 },
    { "or", 0x2228, 0 },
    { "ordf", 0x00AA, 1 },
    { "ordm", 0x00BA, 1 },
    { "oslash", 0x00F8, 1 },
    { "otilde", 0x00F5, 1 },
    { "otimes", 0x2297, 0 },
    { "ouml", 0x00F6, 1 },
    { "para", 0x00B6, 1 },
    { "part", 0x2202, 0 },
    { "percnt", 0x0025, 0 },
    { "period", 0x002E, 0 },
    { "permil", 0x2030, 0 },
    { "perp", 0x22A5, 0 },
    { "phi", 0x03C6, 0 },
    { "phone", 0x260E, 0 },
    { "pi", 0x03C0, 0 },
    { "piv", 0x03D6, 0 },
    { "planck", 0x210F, 0 },
    { "plus", 0x002B, 0 },
    { "plusmn", 0x00B1, 1 },
    { "pm", 0x00B1, 0 },
    { "pound", 0x00A3, 1 },
    { "prime", 0x2032, 0 },
    { "prod", 0x220F, 0 },
    { "prop", 0x221D, 0 },
    { "psi", 0x03C8, 0 },
    { "puncsp", 0x2008, 0 },
    { "quest", 0x003F, 0 },
    { "quot", 0x0022, 1 },
    { "rArr", 0x21D2, 0 },
    { "radic", 0x221A, 0 },
    { "rang", 0x27E9, 0 },
    { "raquo", 0x00BB, 1 },
    { "rarr", 0x2192, 0 },
    { "rbrace", 0x007D, 0 },
    { "rbrack", 0x005D, 0 },
    { "rcaron", 0x0159, 0 },
    { "rceil", 0x2309, 0 },
    { "rcub", 0x007D, 0 },
    { "rdquo", 0x201D, 0 },
    { "rdquor", 0x201D, 0 },
    { "real", 0x211C, 0 },
    { "rect", 0x25AD, 0 },
    { "reg", 0x00AE, 1 },
    { "rfloor", 0x230B, 0 },
    { "rho", 0x03C1, 0 },
    { "rightarrow", 0x2192, 0 },
    { "rlm", 0x200F, 0 },
    { "rpar", 0x0029, 0 },
    { "rsaquo", 0x203A, 0 },
    { "rsqb", 0x005D, 0 },
    { "rsquo", 0x2019, 0 },
    { "rsquor", 0x2019, 0 },
    { "rtri", 0x25B9, 0 },
    { "rtrif", 0x25B8, 0 },
    { "sacute", 0x015B, 0 },
    { "sbquo", 0x201A, 0 },
    { "scaron", 0x0161, 0 },
    { "scedil", 0x015F, 0 },
    { "sdot", 0x22C5, 0 },
    { "sdotb", 0x22A1, 0 },
    { "sect", 0x00A7, 1 },
    { "semi", 0x003B, 0 },
    { "sharp", 0x266F, 0 },
    { "shy", 0x00AD, 1 },
    { "sigma", 0x03C3, 0 },
    { "sigmaf", 0x03C2, 0 },
    { "sim", 0x223C, 0 },
    { "sol", 0x002F, 0 },
    { "spades", 0x2660, 0 },
    { "spadesuit", 0x2660, 0 },
    { "squ", 0x25A1, 0 },
    { "square", 0x25A1, 0 },
    { "star", 0x2606, 0 },
    { "starf", 0x2605, 0 },
    { "sub", 0x2282, 0 },
    { "sube", 0x2286, 0 },
    { "sum", 0x2211, 0 },
    { "sung", 0x266A, 0 },
    { "sup", 0x2283, 0 },
    { "sup1", 0x00B9, 1 },
    { "sup2", 0x00B2, 1 },
    { "sup3", 0x00B3, 1 },
    { "supe", 0x2287, 0 },
    { "szlig", 0x00DF, 1 },
    { "tau", 0x03C4, 0 },
    { "tcaron", 0x0165, 0 },
    { "there4", 0x2234, 0 },
    { "theta", 0x03B8, 0 },
    { "thetasym", 0x03D1, 0 },
    { "thinsp", 0x2009, 0 },
    { "thorn", 0x00FE, 1 },
    { "tilde", 0x02DC, 0 },
    { "times", 0x00D7, 1 },
    { "trade", 0x2122, 0 },
    { "triangleright", 0x25B9, 0 },
    { "uArr", 0x21D1, 0 },
    { "uacute", 0x00FA, 1 },
    { "uarr", 0x2191, 0 },
    { "ucirc", 0x00FB, 1 },
    { "udblac", 0x0171, 0 },
    { "ugrave", 0x00F9, 1 },
    { "uml", 0x00A8, 1 },
    { "uparrow", 0x2191, 0 },
    { "upsih", 0x03D2, 0 },
    { "upsilon", 0x03C5, 0 },
    { "uring", 0x016F, 0 },
    { "utri", 0x25B5, 0 },
    { "utrif", 0x25B4, 0 },
    { "uuml", 0x00FC, 1 },
    { "verbar", 0x007C, 0 },
    { "vert", 0x007C, 0 },
    { "weierp", 0x2118, 0 },
    { "xi", 0x03BE, 0 },
    { "yacute", 0x00FD, 1 },
    { "yen", 0x00A5, 1 },
    { "yuml", 0x00FF, 1 },
    { "zacute", 0x017A, 0 },
    { "zcaron", 0x017E, 0 },
    { "zdot", 0x017C, 0 },
    { "zeta", 0x03B6, 0 },
    { "zwj", 0x200D, 0 },
    { "zwnj", 0x200C, 0 },
};

static int is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static const entity *entity_find(const char *name, size_t len)
{
    size_t lo = 0, hi = sizeof entities / sizeof entities[0];

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *e = entities[mid].name;
        int c = strncmp(name, e, len);
        if (c == 0 && e[len] != '\0')
            c = -1;  /* name is a proper prefix of e */
        if (c == 0)
            return &entities[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

size_t cv_rtf__html_entity(const char *s, size_t n, int in_attr, uint32_t *out)
{
    size_t j;

    if (n < 2 || s[0] != '&')
        return 0;
    if (s[1] == '#') {
        int hex = 0;
        uint32_t v = 0;
        j = 2;
        if (j < n && (s[j] == 'x' || s[j] == 'X')) {
            hex = 1;
            j++;
        }
        size_t d0 = j;
        for (; j < n; j++) {
            unsigned char c = (unsigned char)s[j];
            int d;
            if (c >= '0' && c <= '9')
                d = c - '0';
            else if (hex && c >= 'a' && c <= 'f')
                d = c - 'a' + 10;
            else if (hex && c >= 'A' && c <= 'F')
                d = c - 'A' + 10;
            else
                break;
            v = v * (hex ? 16u : 10u) + (uint32_t)d;
            if (v > 0x10FFFF)
                v = 0x110000;  /* stays out of range however many digits follow */
        }
        if (j == d0)
            return 0;
        if (j < n && s[j] == ';')
            j++;
        if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
            v = 0xFFFD;
        else if (v >= 0x80 && v < 0xA0)
            v = cv_rtf__cp1252_to_ucs((uint8_t)v);
        *out = v;
        return j;
    }
    for (j = 1; j < n && j <= 32 && is_alnum((unsigned char)s[j]); j++)
        ;
    if (j == 1)
        return 0;
    if (j < n && s[j] == ';') {
        const entity *e = entity_find(s + 1, j - 1);
        if (e) {
            *out = e->cp;
            return j + 1;
        }
    }
    /* The legacy names may go without ';' ("&copy 2024", "&ampx" = "&x"). */
    for (size_t k = j < 8 ? j : 8; k > 2; k--) {
        const entity *e = entity_find(s + 1, k - 1);
        if (e && e->legacy) {
            if (in_attr && k < n && (is_alnum((unsigned char)s[k]) || s[k] == '='))
                return 0;
            *out = e->cp;
            return k;
        }
    }
    return 0;
}

/* ==== Tokens ==== */

size_t cv_rtf__html_next(const char *s, size_t n, size_t i, cv_rtf__htok *t)
{
    size_t j;

    memset(t, 0, sizeof *t);
    t->start = i;
    if (s[i] == '<' && n - i > 1) {
        unsigned char c = (unsigned char)s[i + 1];
        if (is_alpha(c) || (c == '/' && n - i > 2 && is_alpha((unsigned char)s[i + 2]))) {
            size_t k = 0;
            j = i + 1;
            t->kind = CV_RTF__H_START;
            if (c == '/') {
                t->kind = CV_RTF__H_END;
                j++;
            }
            while (j < n && !is_space((unsigned char)s[j]) && s[j] != '/' && s[j] != '>') {
                if (k < sizeof t->name - 1)
                    t->name[k++] = (char)lower((unsigned char)s[j]);
                j++;
            }
            while (j < n) {
                if (s[j] == '>') {
                    t->end = j + 1;
                    return t->end;
                }
                if (s[j] == '=') {
                    j++;
                    while (j < n && is_space((unsigned char)s[j]))
                        j++;
                    if (j < n && (s[j] == '"' || s[j] == '\'')) {
                        const char *q = memchr(s + j + 1, s[j], n - j - 1);
                        if (!q)
                            break;
                        j = (size_t)(q - s) + 1;
                    }
                    continue;
                }
                j++;
            }
            t->end = n;
            t->unterminated = 1;
            return n;
        }
        if (c == '!' && n - i >= 4 && s[i + 2] == '-' && s[i + 3] == '-') {
            t->kind = CV_RTF__H_COMMENT;
            j = i + 4;
            if (j < n && s[j] == '>')
                return t->end = j + 1;
            if (n - j >= 2 && s[j] == '-' && s[j + 1] == '>')
                return t->end = j + 2;
            while (j < n) {
                const char *q = memchr(s + j, '-', n - j);
                if (!q)
                    break;
                j = (size_t)(q - s);
                if (n - j >= 3 && s[j + 1] == '-' && s[j + 2] == '>')
                    return t->end = j + 3;
                j++;
            }
            t->end = n;
            t->unterminated = 1;
            return n;
        }
        if (c == '!' || c == '?') {
            const char *q = memchr(s + i + 2, '>', n - i - 2);
            t->kind = CV_RTF__H_OTHER;
            if (q)
                return t->end = (size_t)(q - s) + 1;
            t->end = n;
            t->unterminated = 1;
            return n;
        }
    }
    /* Text: up to the next '<' (a '<' that starts no markup is text too). */
    t->kind = CV_RTF__H_TEXT;
    const char *q = n - i > 1 ? memchr(s + i + 1, '<', n - i - 1) : NULL;
    t->end = q ? (size_t)(q - s) : n;
    return t->end;
}

size_t cv_rtf__html_raw_end(const char *s, size_t n, size_t i, const char *name)
{
    size_t nl = strlen(name);

    while (i < n) {
        const char *q = memchr(s + i, '<', n - i);
        if (!q)
            return n;
        i = (size_t)(q - s);
        if (n - i >= nl + 2 && s[i + 1] == '/') {
            size_t k = 0;
            while (k < nl && lower((unsigned char)s[i + 2 + k]) == (unsigned char)name[k])
                k++;
            if (k == nl && (i + 2 + nl == n || is_space((unsigned char)s[i + 2 + nl]) ||
                            s[i + 2 + nl] == '>' || s[i + 2 + nl] == '/'))
                return i;
        }
        i++;
    }
    return n;
}

int cv_rtf__html_attr(const char *s, const cv_rtf__htok *t, const char *attr,
                      const char **val, size_t *vlen)
{
    size_t j = t->start + 1, end = t->end, alen = strlen(attr);

    if (j < end && s[j] == '/')
        j++;
    while (j < end && !is_space((unsigned char)s[j]) && s[j] != '/' && s[j] != '>')
        j++;
    while (j < end) {
        while (j < end && (is_space((unsigned char)s[j]) || s[j] == '/'))
            j++;
        if (j >= end || s[j] == '>')
            return 0;
        size_t a0 = j;
        while (j < end && !is_space((unsigned char)s[j]) && s[j] != '=' && s[j] != '>' && s[j] != '/')
            j++;
        size_t a1 = j, v0 = j, v1 = j;
        while (j < end && is_space((unsigned char)s[j]))
            j++;
        if (j < end && s[j] == '=') {
            j++;
            while (j < end && is_space((unsigned char)s[j]))
                j++;
            if (j < end && (s[j] == '"' || s[j] == '\'')) {
                char qc = s[j];
                v0 = ++j;
                while (j < end && s[j] != qc)
                    j++;
                v1 = j;
                if (j < end)
                    j++;
            } else {
                v0 = j;
                while (j < end && !is_space((unsigned char)s[j]) && s[j] != '>')
                    j++;
                v1 = j;
            }
        } else {
            j = a1;
        }
        if (a1 - a0 == alen) {
            size_t k = 0;
            while (k < alen && lower((unsigned char)s[a0 + k]) == (unsigned char)attr[k])
                k++;
            if (k == alen) {
                *val = s + v0;
                *vlen = v1 - v0;
                return 1;
            }
        }
        if (j == a0)
            j++;  /* a stray byte: never stall */
    }
    return 0;
}

/* ==== HTML to text ==== */

#define MAX_LISTS 32    /* list levels with their own counter */
#define MAX_INDENT 8    /* list levels indented */

enum {
    T_BLOCK = 1,   /* a line of its own */
    T_PARA = 2,    /* set off by a blank line */
    T_SKIP = 4,    /* content dropped */
    T_RAW = 8      /* content is raw text up to </name> */
};

enum {
    S_NONE, S_A, S_BODY, S_BR, S_HEAD, S_HR, S_LI, S_OL, S_UL, S_P, S_PRE, S_TABLE,
    S_TD, S_TR, S_TEXTAREA
};

typedef struct tag_info {
    const char *name;   /* sorted by strcmp */
    uint8_t flags;      /* T_* */
    uint8_t special;    /* S_* */
} tag_info;

static const tag_info tags[] = {
    { "a", 0, S_A },
    { "address", T_BLOCK, 0 },
    { "article", T_BLOCK, 0 },
    { "aside", T_BLOCK, 0 },
    { "blockquote", T_PARA, 0 },
    { "body", 0, S_BODY },
    { "br", 0, S_BR },
    { "caption", T_BLOCK, 0 },
    { "center", T_BLOCK, 0 },
    { "dd", T_BLOCK, 0 },
    { "details", T_BLOCK, 0 },
    { "dialog", T_BLOCK, 0 },
    { "dir", 0, S_UL },
    { "div", T_BLOCK, 0 },
    { "dl", T_BLOCK, 0 },
    { "dt", T_BLOCK, 0 },
    { "fieldset", T_BLOCK, 0 },
    { "figcaption", T_BLOCK, 0 },
    { "figure", T_BLOCK, 0 },
    { "footer", T_BLOCK, 0 },
    { "form", T_BLOCK, 0 },
    { "h1", T_PARA, 0 },
    { "h2", T_PARA, 0 },
    { "h3", T_PARA, 0 },
    { "h4", T_PARA, 0 },
    { "h5", T_PARA, 0 },
    { "h6", T_PARA, 0 },
    { "head", T_SKIP, S_HEAD },
    { "header", T_BLOCK, 0 },
    { "hgroup", T_BLOCK, 0 },
    { "hr", 0, S_HR },
    { "iframe", T_SKIP | T_RAW, 0 },
    { "legend", T_BLOCK, 0 },
    { "li", 0, S_LI },
    { "listing", T_PARA, S_PRE },
    { "main", T_BLOCK, 0 },
    { "menu", 0, S_UL },
    { "nav", T_BLOCK, 0 },
    { "noembed", T_SKIP | T_RAW, 0 },
    { "noframes", T_SKIP | T_RAW, 0 },
    { "ol", 0, S_OL },
    { "option", T_BLOCK, 0 },
    { "p", T_PARA, S_P },
    { "pre", T_PARA, S_PRE },
    { "script", T_SKIP | T_RAW, 0 },
    { "section", T_BLOCK, 0 },
    { "select", T_SKIP, 0 },
    { "style", T_SKIP | T_RAW, 0 },
    { "summary", T_BLOCK, 0 },
    { "svg", T_SKIP, 0 },
    { "table", T_BLOCK, S_TABLE },
    { "td", 0, S_TD },
    { "template", T_SKIP, 0 },
    { "textarea", T_BLOCK | T_RAW, S_TEXTAREA },
    { "th", 0, S_TD },
    { "title", T_SKIP | T_RAW, 0 },
    { "tr", T_BLOCK, S_TR },
    { "ul", 0, S_UL },
    { "xmp", T_PARA | T_RAW, S_PRE },
};

static const tag_info *tag_find(const char *name)
{
    size_t lo = 0, hi = sizeof tags / sizeof tags[0];

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(name, tags[mid].name);
        if (c == 0)
            return &tags[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

typedef struct hlist {
    uint8_t ordered;    /* <ol> */
    uint8_t items;      /* 1 once it has an item */
    int32_t n;          /* its next number */
} hlist;

typedef struct hctx {
    cv_rtf__buf out;        /* the text */
    const char *nl;         /* line end */
    size_t nl_len;          /* its length */
    int col0;               /* nothing written on the current line */
    int nl_run;             /* line ends at the end of out */
    int want_nl;            /* line ends wanted before more text: 1 new line, 2 blank line */
    int space;              /* collapsed whitespace pending */
    int cells;              /* cells seen in the current table row */
    int cell_tabs;          /* TABs owed before the next text (cells left behind) */
    int pre;                /* open <pre>s */
    int pre_start;          /* just after <pre>: its first line end is dropped */
    hlist lists[MAX_LISTS]; /* open lists */
    int nlists;             /* open lists, also beyond MAX_LISTS */
    char marker[2 * MAX_INDENT + 16]; /* a list item's "  - " waiting for text */
    int p_break;            /* line ends the open <p> asks for: 1 (MsoNormal) or 2 */
    int link;               /* an <a href> is open */
    size_t link_start;      /* where its text starts in out; SIZE_MAX: none yet */
    cv_rtf__buf href;       /* its URL, references decoded */
    /* Streaming (cv_html_to_text_push): */
    cv_push base;           /* first: the push's operations */
    size_t sent;            /* bytes of out handed to the sink */
    cv_sink_fn sink;        /* where the text goes */
    void *sink_ctx;
    cv_rtf__in in;          /* input held back */
    char skip[16];          /* an element whose content is dropped */
    size_t skip_nest;       /* its nested copies */
    int done;               /* a tag cut by the end of the input: the rest is ignored */
} hctx;

static void trim_spaces(hctx *h)
{
    while (h->out.len && !h->col0 && h->out.data[h->out.len - 1] == ' ')
        h->out.len--;
}

static void newline(hctx *h)
{
    trim_spaces(h);
    cv_rtf__put(&h->out, h->nl, h->nl_len);
    h->nl_run++;
    h->col0 = 1;
    h->space = 0;
}

/* Asks for n line ends (1: a new line, 2: a blank line) before more text. */
static void block_break(hctx *h, int n)
{
    if (h->marker[0])
        return;  /* a list item's first block stays on its marker's line */
    if (n > h->want_nl)
        h->want_nl = n;
    h->space = 0;
}

/* The line ends asked for by block_break. */
static void flush_breaks(hctx *h)
{
    if (h->want_nl && (h->out.len || h->sent)) {
        if (!h->col0) {
            newline(h);
            h->nl_run = 1;
        }
        while (h->nl_run < h->want_nl)
            newline(h);
    }
    h->want_nl = 0;
}

/* Everything owed before the next visible character. */
static void before_text(hctx *h)
{
    flush_breaks(h);
    if (h->marker[0]) {
        if (!h->col0 && (h->out.len || h->sent))
            newline(h);
        cv_rtf__puts(&h->out, h->marker);
        h->marker[0] = '\0';
        h->col0 = 0;
        h->space = 0;
    }
    if (h->cell_tabs) {
        for (int i = 0; i < h->cell_tabs; i++)
            cv_rtf__putc(&h->out, '\t');
        h->cell_tabs = 0;
        h->col0 = 0;
        h->space = 0;
    }
    if (h->space && !h->col0)
        cv_rtf__putc(&h->out, ' ');
    h->space = 0;
    if (h->link && h->link_start == SIZE_MAX)
        h->link_start = h->out.len;
    h->col0 = 0;
    h->nl_run = 0;
}

/* One character of text (not whitespace outside <pre>). */
static void put_cp(hctx *h, uint32_t cp)
{
    if (cp == 0xAD || cp == 0x200B || cp == 0xFEFF)
        return;  /* soft hyphen, zero width space, BOM: invisible */
    before_text(h);
    cv_rtf__put_ucs(&h->out, cp == 0xA0 ? ' ' : cp);
}

static void put_pre_newline(hctx *h)
{
    before_text(h);
    cv_rtf__put(&h->out, h->nl, h->nl_len);
    h->col0 = 1;
    h->nl_run = 1;
}

/* A text token (character references decoded). */
static void text(hctx *h, const char *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (h->pre) {
            if (c == '\r' || c == '\n') {
                i += (c == '\r' && i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
                if (h->pre_start)
                    h->pre_start = 0;
                else
                    put_pre_newline(h);
                continue;
            }
            h->pre_start = 0;
            if (c == ' ' || c == '\t') {
                before_text(h);
                cv_rtf__putc(&h->out, (char)c);
                i++;
                continue;
            }
        } else if (is_space(c)) {
            h->space = 1;
            i++;
            continue;
        }
        if (c == '&') {
            uint32_t cp;
            size_t used = cv_rtf__html_entity(s + i, n - i, 0, &cp);
            if (used) {
                put_cp(h, cp);
                i += used;
                continue;
            }
        }
        if (c < 0x80) {
            /* A run of plain ASCII at once. */
            size_t j = i + 1;
            while (j < n && (unsigned char)s[j] < 0x80 && s[j] != '&' && !is_space((unsigned char)s[j]))
                j++;
            before_text(h);
            cv_rtf__put(&h->out, s + i, j - i);
            i = j;
            continue;
        }
        size_t used;
        uint32_t cp = cv_rtf__utf8_next(s + i, n - i, &used);
        put_cp(h, cp);
        i += used;
    }
}

static int url_same(const char *text, size_t tlen, const char *url, size_t ulen)
{
    static const char *const prefixes[] = { "mailto:", "http://", "https://", "tel:", "" };

    for (size_t k = 0; k < sizeof prefixes / sizeof prefixes[0]; k++) {
        size_t pl = strlen(prefixes[k]);
        if (ulen < pl || strncmp(url, prefixes[k], pl) != 0)
            continue;
        const char *u = url + pl;
        size_t ul = ulen - pl;
        if (ul == tlen && memcmp(u, text, tlen) == 0)
            return 1;
        if (ul == tlen + 1 && u[tlen] == '/' && memcmp(u, text, tlen) == 0)
            return 1;  /* "http://example.com/" shown as "example.com" */
    }
    return 0;
}

static void link_close(hctx *h)
{
    if (!h->link)
        return;
    h->link = 0;
    if (h->link_start == SIZE_MAX || h->out.err || h->href.err || h->href.len == 0)
        return;
    const char *t = h->out.data + h->link_start;
    size_t tl = h->out.len - h->link_start;
    while (tl && t[tl - 1] == ' ')
        tl--;
    const char *u = h->href.data;
    size_t ul = h->href.len;
    if (tl == 0 || u[0] == '#' || (ul >= 11 && strncmp(u, "javascript:", 11) == 0) ||
        url_same(t, tl, u, ul))
        return;
    cv_rtf__put(&h->out, " <", 2);
    cv_rtf__put(&h->out, u, ul);
    cv_rtf__putc(&h->out, '>');
    h->col0 = 0;
    h->nl_run = 0;
}

static void link_open(hctx *h, const char *s, const cv_rtf__htok *t)
{
    const char *v;
    size_t vl;

    link_close(h);
    if (!cv_rtf__html_attr(s, t, "href", &v, &vl))
        return;
    h->href.len = 0;
    while (vl && is_space((unsigned char)*v))
        v++, vl--;
    while (vl && is_space((unsigned char)v[vl - 1]))
        vl--;
    for (size_t i = 0; i < vl;) {
        uint32_t cp;
        size_t used = v[i] == '&' ? cv_rtf__html_entity(v + i, vl - i, 1, &cp) : 0;
        if (used) {
            cv_rtf__put_ucs(&h->href, cp);
            i += used;
        } else if ((unsigned char)v[i] < 0x80) {
            if (v[i] != '\r' && v[i] != '\n' && v[i] != '\t')
                cv_rtf__putc(&h->href, v[i]);
            i++;
        } else {
            cp = cv_rtf__utf8_next(v + i, vl - i, &used);
            cv_rtf__put_ucs(&h->href, cp);
            i += used;
        }
    }
    h->link = 1;
    h->link_start = SIZE_MAX;
}

static int class_is_mso(const char *s, const cv_rtf__htok *t)
{
    const char *v;
    size_t vl;

    return cv_rtf__html_attr(s, t, "class", &v, &vl) && vl >= 3 &&
           lower((unsigned char)v[0]) == 'm' && lower((unsigned char)v[1]) == 's' &&
           lower((unsigned char)v[2]) == 'o';
}

static void list_item(hctx *h)
{
    int depth = h->nlists > 0 ? h->nlists : 1;
    int indent = 2 * ((depth > MAX_INDENT ? MAX_INDENT : depth) - 1);
    char *m = h->marker;

    if (m[0])
        before_text(h);  /* the item before was empty: its marker still shows */
    /* Items of one list are single-spaced, whatever blocks they hold. */
    if (h->nlists > 0 && h->nlists <= MAX_LISTS && h->lists[h->nlists - 1].items)
        h->want_nl = 1;
    else if (h->want_nl < 1)
        h->want_nl = 1;
    if (h->nlists > 0 && h->nlists <= MAX_LISTS)
        h->lists[h->nlists - 1].items = 1;
    memset(m, ' ', (size_t)indent);
    m += indent;
    if (h->nlists > 0 && h->nlists <= MAX_LISTS && h->lists[h->nlists - 1].ordered) {
        hlist *l = &h->lists[h->nlists - 1];
        int32_t num = l->n;
        if (l->n < 999999999)
            l->n++;
        char digits[12];
        int k = 0;
        uint32_t v = num < 0 ? (uint32_t)-(int64_t)num : (uint32_t)num;
        do {
            digits[k++] = (char)('0' + v % 10);
            v /= 10;
        } while (v);
        if (num < 0)
            *m++ = '-';
        while (k)
            *m++ = digits[--k];
        *m++ = '.';
        *m++ = ' ';
    } else {
        *m++ = '-';
        *m++ = ' ';
    }
    *m = '\0';
}

static void start_tag(hctx *h, const char *s, const cv_rtf__htok *t, const tag_info *ti)
{
    switch (ti->special) {
    case S_A:
        link_open(h, s, t);
        return;
    case S_BR:
        flush_breaks(h);
        if (h->marker[0])
            before_text(h);  /* "<li><br>": the item still shows */
        newline(h);
        return;
    case S_HR:
        block_break(h, 1);
        before_text(h);
        cv_rtf__puts(&h->out, "________________________________");
        block_break(h, 1);
        return;
    case S_P:
        h->p_break = class_is_mso(s, t) ? 1 : 2;
        block_break(h, h->p_break);
        return;
    case S_PRE:
        block_break(h, 2);
        h->pre++;
        h->pre_start = 1;
        return;
    case S_UL:
    case S_OL:
        block_break(h, h->nlists ? 1 : 2);
        if (h->nlists < MAX_LISTS) {
            hlist *l = &h->lists[h->nlists];
            const char *v;
            size_t vl;
            l->ordered = ti->special == S_OL;
            l->items = 0;
            l->n = 1;
            if (l->ordered && cv_rtf__html_attr(s, t, "start", &v, &vl)) {
                int32_t n = 0;
                int neg = vl && *v == '-';
                for (size_t i = neg; i < vl && v[i] >= '0' && v[i] <= '9' && n < 100000000; i++)
                    n = n * 10 + (v[i] - '0');
                l->n = neg ? -n : n;
            }
        }
        if (h->nlists < 1000000)
            h->nlists++;
        return;
    case S_LI:
        list_item(h);
        return;
    case S_TABLE:
        block_break(h, 1);
        return;
    case S_TR:
        block_break(h, 1);
        h->cells = 0;
        h->cell_tabs = 0;
        return;
    case S_TD:
        if (h->cells++ > 0)
            h->cell_tabs++;
        return;
    default:
        break;
    }
    if (ti->flags & T_PARA)
        block_break(h, 2);
    else if (ti->flags & T_BLOCK)
        block_break(h, 1);
}

static void end_tag(hctx *h, const tag_info *ti)
{
    switch (ti->special) {
    case S_A:
        link_close(h);
        return;
    case S_BR:
        flush_breaks(h);
        newline(h);
        return;
    case S_P:
        block_break(h, h->p_break ? h->p_break : 2);
        return;
    case S_PRE:
        if (h->pre)
            h->pre--;
        block_break(h, 2);
        return;
    case S_UL:
    case S_OL:
        if (h->nlists)
            h->nlists--;
        if (h->marker[0])
            before_text(h);
        block_break(h, h->nlists ? 1 : 2);
        return;
    case S_LI:
        if (h->marker[0])
            before_text(h);
        block_break(h, 1);
        return;
    case S_TR:
        h->cell_tabs = 0;
        block_break(h, 1);
        return;
    case S_TD:
        return;
    default:
        break;
    }
    if (ti->flags & T_PARA)
        block_break(h, 2);
    else if (ti->flags & T_BLOCK)
        block_break(h, 1);
}

/* Elements that may stand in <head>. */
static int in_head(const char *name)
{
    static const char *const names[] = { "base", "basefont", "bgsound", "link", "meta", "noscript",
                                         "script", "style", "template", "title", "head", "html" };

    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (strcmp(name, names[k]) == 0)
            return 1;
    return 0;
}

static int all_space(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_space((unsigned char)s[i]))
            return 0;
    return 1;
}

static int self_closing(const char *s, const cv_rtf__htok *t)
{
    return t->end - t->start >= 2 && s[t->end - 2] == '/';
}

/* Converts the tokens of in that are complete (all of them when final):
 * the bytes used. */
static size_t run(hctx *h, const char *html, size_t len, int final)
{
    size_t i = 0;

    while (i < len && !h->out.err && !h->done) {
        cv_rtf__htok t;
        const tag_info *ti = NULL;
        size_t start = i;
        i = cv_rtf__html_next(html, len, start, &t);
        if (!final && (t.unterminated || (t.kind == CV_RTF__H_TEXT && t.end == len))) {
            /* It may go on in the next chunk: long text is cut where that is
             * safe, anything else waits. */
            if (t.kind != CV_RTF__H_TEXT || h->skip[0])
                return start;
            size_t cut = cv_rtf__html_text_cut(html, start, len);
            if (cut > start)
                text(h, html + start, cut - start);
            return cut;
        }
        if (t.kind == CV_RTF__H_START || t.kind == CV_RTF__H_END) {
            if (t.unterminated) {
                h->done = 1;
                break;  /* a tag cut by the end of the input is no tag */
            }
            ti = tag_find(t.name);
        }
        if (ti && t.kind == CV_RTF__H_START && (ti->flags & T_RAW)) {
            /* <script>, <style>, <title>, <textarea> ...: raw text up to
             * the end tag, which the next round reads as any end tag. */
            size_t stop = cv_rtf__html_raw_end(html, len, i, t.name);
            if (!final && stop + strlen(t.name) + 2 >= len)
                return start;  /* its end tag is not there yet */
            if (!h->skip[0] && !(ti->flags & T_SKIP)) {
                start_tag(h, html, &t, ti);
                h->pre++;
                h->pre_start = 1;
                text(h, html + i, stop - i);
                h->pre--;
                end_tag(h, ti);
            }
            i = stop;
            continue;
        }
        if (h->skip[0]) {
            if (strcmp(h->skip, "head") == 0) {
                /* <head> ends at </head>, and where the body evidently
                 * begins: text or an element that has no place in head. */
                if (t.kind == CV_RTF__H_END && strcmp(t.name, "head") == 0) {
                    h->skip[0] = '\0';
                    continue;
                }
                if (!(t.kind == CV_RTF__H_START && !in_head(t.name)) &&
                    !(t.kind == CV_RTF__H_TEXT && !all_space(html + t.start, t.end - t.start)))
                    continue;
                h->skip[0] = '\0';
            } else {
                if (t.kind == CV_RTF__H_START && strcmp(t.name, h->skip) == 0 &&
                    !self_closing(html, &t))
                    h->skip_nest++;
                else if (t.kind == CV_RTF__H_END && strcmp(t.name, h->skip) == 0 &&
                         h->skip_nest-- == 0)
                    h->skip[0] = '\0';
                continue;
            }
        }
        if (t.kind == CV_RTF__H_TEXT) {
            text(h, html + t.start, t.end - t.start);
            continue;
        }
        if (!ti)
            continue;  /* comments, declarations, span, b, font, o:p ...: no layout */
        if (t.kind == CV_RTF__H_END) {
            end_tag(h, ti);
            continue;
        }
        if (ti->flags & T_SKIP) {
            if (!self_closing(html, &t)) {
                strcpy(h->skip, ti->name);
                h->skip_nest = 0;
            }
            continue;
        }
        start_tag(h, html, &t, ti);
    }
    return len;
}

static size_t run_chunk(void *h, const char *s, size_t n)
{
    return run(h, s, n, 0);
}

/* Hands the text that is final to the sink: not the spaces and line ends
 * at its end (a line end or the end of the text may trim them), nor the
 * text of an open link (its URL may follow it). */
static int drain(hctx *h)
{
    size_t upto = h->out.len;
    while (upto && (h->out.data[upto - 1] == ' ' || h->out.data[upto - 1] == '\n' ||
                    h->out.data[upto - 1] == '\r'))
        upto--;
    if (h->link && h->link_start != SIZE_MAX && h->link_start < upto)
        upto = h->link_start;
    int rc = cv_rtf__buf_drain(&h->out, upto, h->sink, h->sink_ctx);
    if (rc == 0) {
        h->sent += upto;
        if (h->link && h->link_start != SIZE_MAX)
            h->link_start -= upto;
    }
    return rc;
}

#define DRAIN_AT 65536u   /* bytes of text gathered before they go to the sink */

static int push_feed(cv_push *p, const char *data, size_t len)
{
    hctx *h = (hctx *)((char *)p - offsetof(hctx, base));
    if (cv_rtf__in_feed(&h->in, data, len, "HTML to text", run_chunk, h))
        return -1;
    if (h->out.err)
        return cv_rtf__buf_error(&h->out, "HTML to text");
    return h->out.len >= DRAIN_AT ? drain(h) : 0;
}

static int push_end(cv_push *p)
{
    hctx *h = (hctx *)((char *)p - offsetof(hctx, base));
    run(h, h->in.data, h->in.len, 1);
    cv_rtf__in_drop(&h->in, h->in.len);
    link_close(h);
    /* No trailing spaces or line ends. */
    while (h->out.len && (h->out.data[h->out.len - 1] == ' ' || h->out.data[h->out.len - 1] == '\n' ||
                          h->out.data[h->out.len - 1] == '\r'))
        h->out.len--;
    if (h->out.err)
        return cv_rtf__buf_error(&h->out, "HTML to text");
    return cv_rtf__buf_drain(&h->out, h->out.len, h->sink, h->sink_ctx);
}

static void push_free(cv_push *p)
{
    hctx *h = (hctx *)((char *)p - offsetof(hctx, base));
    cv_rtf__buf_free(&h->out);
    cv_rtf__buf_free(&h->href);
    cv_rtf__in_free(&h->in);
    free(h);
}

int cv_html_to_text_push(cv_push **out, unsigned flags, cv_sink_fn sink, void *ctx)
{
    hctx *h = calloc(1, sizeof *h);

    *out = NULL;
    if (!h) {
        st_error_set("HTML to text: out of memory");
        return -1;
    }
    h->nl = (flags & CV_TEXT_LF) ? "\n" : "\r\n";
    h->nl_len = strlen(h->nl);
    h->col0 = 1;
    cv_rtf__buf_init(&h->out, 0);
    cv_rtf__buf_init(&h->href, 0);
    cv_rtf__push_init(&h->base, push_feed, push_end, push_free);
    h->sink = sink;
    h->sink_ctx = ctx;
    *out = &h->base;
    return 0;
}

int cv_html_to_text(char **out, size_t *out_len, const char *html, size_t len, unsigned flags)
{
    cv_push *p;
    cv_rtf__buf b;

    *out = NULL;
    if (out_len)
        *out_len = 0;
    cv_rtf__buf_init(&b, 0);
    if (cv_html_to_text_push(&p, flags, cv_rtf__buf_sink, &b))
        return -1;
    return cv_rtf__push_whole(p, &b, html, len, out, out_len, "HTML to text");
}
