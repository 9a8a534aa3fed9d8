#!/usr/bin/python3
"""check_dll.py: what mapidav32.dll asks of Windows and offers to MAPI.

A native test (objdump, no Wine): meson puts the mingw folders on WINEPATH
while tests run, which would hide a DLL that needs libwinpthread-1.dll,
zlib1.dll or libgcc_s_seh-1.dll; Outlook, which loads providers with a
restricted search path, would not find them. So the imports must be Windows
system DLLs only, the exports exactly MAPI's three entry points, and the file
a 64-bit PE.

usage: check_dll.py OBJDUMP DLL
"""
import re
import subprocess
import sys

SYSTEM_DLLS = {
    "advapi32.dll", "bcrypt.dll", "crypt32.dll", "kernel32.dll", "msvcrt.dll",
    "ws2_32.dll", "user32.dll", "shell32.dll", "ole32.dll", "oleaut32.dll",
    "gdi32.dll", "comctl32.dll", "secur32.dll", "iphlpapi.dll", "normaliz.dll",
    "wldap32.dll", "shlwapi.dll", "rpcrt4.dll", "mapi32.dll", "ntdll.dll",
}
EXPORTS = {"MSProviderInit", "XPProviderInit", "MSGServiceEntry"}


def main():
    objdump, dll = sys.argv[1], sys.argv[2]
    out = subprocess.run([objdump, "-p", dll], check=True, capture_output=True,
                         text=True).stdout
    failed = 0
    passed = 0

    def check(cond, msg):
        nonlocal failed, passed
        if cond:
            passed += 1
        else:
            failed += 1
            print("FAIL:", msg)

    check(re.search(r"^Magic\s+020b\s+\(PE32\+\)", out, re.M), "not a 64-bit PE32+ file")

    imports = sorted(set(re.findall(r"DLL Name: (\S+)", out)))
    print("imports:", " ".join(imports))
    for name in imports:
        check(name.lower() in SYSTEM_DLLS, f"imports {name}, not a Windows system DLL")

    exports = set()
    table = re.search(r"\[Ordinal/Name Pointer\] Table\n(.*?)(?:\n\n|\Z)", out, re.S)
    if table:
        exports = set(re.findall(r"\]\s+(\S+)\s*$", table.group(1), re.M))
    print("exports:", " ".join(sorted(exports)))
    check(exports == EXPORTS, f"exports {sorted(exports)}, expected {sorted(EXPORTS)}")

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
