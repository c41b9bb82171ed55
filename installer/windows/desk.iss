; Inno Setup script: a per-user installer for the folder PyInstaller builds on Windows.
; Build: iscc installer\windows\desk.iss (after `pyinstaller installer\desk.spec`).
; Sign: signtool sign /fd SHA256 /tr http://timestamp.digicert.com /td SHA256 ^
;       /f city-code-signing.pfx dist\desk-setup.exe

#define AppVersion "0.1.0"

[Setup]
AppId={{8F3C1E2A-6B0D-4C7E-9A51-2D7E4B9C0F13}
AppName=desk
AppVersion={#AppVersion}
AppPublisher=desk
DefaultDirName={localappdata}\Programs\desk
DefaultGroupName=desk
; Per user: no administrator needed, nothing written outside the user's profile.
PrivilegesRequired=lowest
OutputDir=..\..\dist
OutputBaseFilename=desk-setup
SetupIconFile=..\..\resources\icons\desk.ico
UninstallDisplayIcon={app}\desk.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ChangesAssociations=yes

[Files]
Source: "..\..\dist\desk\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion

[Icons]
Name: "{group}\desk"; Filename: "{app}\desk.exe"
Name: "{userdesktop}\desk"; Filename: "{app}\desk.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "A desktop shortcut"; Flags: unchecked

[Registry]
; desk databases (.sqlite) offer "Open with desk", without taking over the extension.
Root: HKCU; Subkey: "Software\Classes\desk.database"; ValueType: string; ValueData: "desk database"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Classes\desk.database\DefaultIcon"; ValueType: string; ValueData: "{app}\desk.exe,0"
Root: HKCU; Subkey: "Software\Classes\desk.database\shell\open\command"; ValueType: string; ValueData: """{app}\desk.exe"" --db ""%1"""
Root: HKCU; Subkey: "Software\Classes\.sqlite\OpenWithProgids"; ValueType: string; ValueName: "desk.database"; ValueData: ""; Flags: uninsdeletevalue

[Run]
Filename: "{app}\desk.exe"; Description: "Open desk"; Flags: nowait postinstall skipifsilent

; Uninstalling removes the program only: the databases, backups and settings in
; %LOCALAPPDATA%\desk stay (see docs/user-guide.md).
