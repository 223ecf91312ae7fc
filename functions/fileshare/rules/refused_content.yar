// Content classes the allow-list refuses by default (fileshare.core.content_types: executables and
// scripts), recognised by their headers. Validation judges the upload itself; these rules also see
// what it does not: the members of archives. `category` names the allow-list category, so a match
// counts only while that category is not allowed (ALLOWED_CONTENT). Rules see the file one window
// at a time; `window_offset` (where the window starts) keeps them to the real start of the file.

rule Windows_PE_Executable
{
    meta:
        description = "Windows PE executable or DLL: MZ header whose e_lfanew points at a PE signature"
        category = "executables"
    condition:
        window_offset == 0 and uint16(0) == 0x5A4D and uint32(uint32(0x3C)) == 0x00004550
}

rule ELF_Executable
{
    meta:
        description = "ELF executable or shared object (Linux, BSD)"
        category = "executables"
    condition:
        window_offset == 0 and uint32(0) == 0x464C457F
}

rule MachO_Executable
{
    meta:
        description = "Mach-O executable (macOS), 32 or 64 bit, either byte order"
        category = "executables"
    condition:
        window_offset == 0 and (
            uint32(0) == 0xFEEDFACE or uint32(0) == 0xFEEDFACF or
            uint32(0) == 0xCEFAEDFE or uint32(0) == 0xCFFAEDFE
        )
}

rule Script_With_Interpreter_Line
{
    meta:
        description = "a script that names its interpreter on its first line (#!)"
        category = "scripts"
    condition:
        window_offset == 0 and uint16(0) == 0x2123
}
