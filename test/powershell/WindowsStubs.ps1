<#
.SYNOPSIS
Stand-ins for the Windows-only commands PinPack's device scripts call, so that Pester can mock
them under pwsh on Linux. Dot-source it in BeforeAll; every stub throws if a test forgets to mock
it, so no test can pass by accident on a stub.
#>

function global:Install-ProvisioningPackage {
    param([string] $PackagePath, [switch] $QuietInstall, [switch] $ForceInstall, [string] $LogsDirectoryPath)
    throw 'Install-ProvisioningPackage is not mocked'
}

function global:Get-ProvisioningPackage {
    param([switch] $AllInstalledPackages)
    throw 'Get-ProvisioningPackage is not mocked'
}

function global:Get-AppxPackage {
    param([string] $Name, [switch] $AllUsers)
    throw 'Get-AppxPackage is not mocked'
}

if (-not (Get-Command -Name Get-CimInstance -ErrorAction SilentlyContinue)) {
    function global:Get-CimInstance {
        param([string] $ClassName)
        throw 'Get-CimInstance is not mocked'
    }
}

function global:whoami.exe {
    throw 'whoami.exe is not mocked'
}

function global:icacls.exe {
    throw 'icacls.exe is not mocked'
}

function global:shutdown.exe {
    throw 'shutdown.exe is not mocked'
}

function global:New-FakeIcd {
    <#
    .SYNOPSIS
    Writes a fake ICD.exe (a shell script) under a fake Windows Kits root and returns the root.
    Its behaviour follows $env:PINPACK_FAKE_ICD_MODE: 'ok' writes the .ppkg, 'fail' echoes the XML
    (PIN included, as a careless tool might) to stderr and exits 5, 'hang' never finishes (it
    becomes a long sleep, so stopping the ICD process stops it).
    When $env:PINPACK_FAKE_ICD_CAPTURE is set, the customizations XML is copied there.
    #>
    param([Parameter(Mandatory)][string] $KitsRoot)
    $folder = Join-Path $KitsRoot 'Assessment and Deployment Kit/Imaging and Configuration Designer/x86'
    New-Item -ItemType Directory -Path $folder -Force | Out-Null
    $icd = Join-Path $folder 'ICD.exe'
    $script = @'
#!/bin/sh
for a in "$@"; do
  case "$a" in
    /PackagePath:*) pkg="${a#/PackagePath:}" ;;
    /CustomizationXML:*) xml="${a#/CustomizationXML:}" ;;
  esac
done
echo "$@" > "$PINPACK_FAKE_ICD_ARGS"
if [ -n "$PINPACK_FAKE_ICD_CAPTURE" ]; then cp "$xml" "$PINPACK_FAKE_ICD_CAPTURE"; fi
if [ "$PINPACK_FAKE_ICD_MODE" = "hang" ]; then echo "ICD: building"; exec sleep 600; fi
if [ "$PINPACK_FAKE_ICD_MODE" = "fail" ]; then echo "ICD error: the customizations are not valid" >&2; cat "$xml" >&2; exit 5; fi
printf 'fake ppkg' > "$pkg"
exit 0
'@
    [System.IO.File]::WriteAllText($icd, $script.Replace("`r`n", "`n"))
    & chmod +x $icd
    return $KitsRoot
}

<#
What Remove-Item does, for the calls a test does not make fail: Pester 6 does not fall through to
the real cmdlet when no parameter filter matches, so a test that mocks some Remove-Item calls
mocks the others with this.
#>
function global:Remove-PassThrough {
    param([string] $LiteralPath)
    if ([System.IO.Directory]::Exists($LiteralPath)) { [System.IO.Directory]::Delete($LiteralPath, $true) }
    elseif ([System.IO.File]::Exists($LiteralPath)) { [System.IO.File]::Delete($LiteralPath) }
}

function global:Enter-DeviceSandbox {
    <#
    .SYNOPSIS
    The per-test sandbox of the setup.ps1 tests: a temp folder with logs/, work/ and a fake ICD
    kit (with -CaptureName, the fake ICD copies the customizations XML to that file in the
    sandbox), the device's environment (PC01, alice) and the mocks of the Windows-only commands. Call
    it in BeforeEach and Exit-DeviceSandbox with its result in AfterEach. Mock bodies and filters
    run in the scope of the script under test, so they read the environment, not $script:.
    #>
    param([Parameter(Mandatory)][string] $Prefix, [string] $CaptureName = '')
    $temp = Join-Path ([System.IO.Path]::GetTempPath()) ($Prefix + [guid]::NewGuid().ToString('N'))
    $sandbox = [pscustomobject]@{
        Temp = $temp; Logs = (Join-Path $temp 'logs'); Work = (Join-Path $temp 'work'); Kits = $null
        SavedEnv = @{ COMPUTERNAME = $env:COMPUTERNAME; USERNAME = $env:USERNAME; MODE = $env:PINPACK_FAKE_ICD_MODE }
    }
    New-Item -ItemType Directory -Path $sandbox.Work -Force | Out-Null
    $sandbox.Kits = New-FakeIcd -KitsRoot (Join-Path $temp 'kits')
    $env:COMPUTERNAME = 'PC01'
    $env:USERNAME = 'alice'
    $env:PINPACK_FAKE_ICD_MODE = 'ok'
    $env:PINPACK_FAKE_ICD_CAPTURE = if ($CaptureName) { Join-Path $temp $CaptureName } else { '' }
    $env:PINPACK_FAKE_ICD_ARGS = Join-Path $temp 'icd-args.txt'
    $env:PINPACK_TEST_KITS = $sandbox.Kits
    Mock Get-ItemProperty -ParameterFilter { $LiteralPath -eq 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows Kits\Installed Roots' } -MockWith { [pscustomobject]@{ KitsRoot10 = $env:PINPACK_TEST_KITS } }
    Mock Get-AppxPackage { @() }
    Mock Get-ProvisioningPackage { @() }
    Mock Install-ProvisioningPackage { [pscustomobject]@{ Result = 0 } }
    Mock whoami.exe {
        if ($args -contains '/groups') { 'Mandatory Label\High Mandatory Level  Label  S-1-16-12288' } else { 'alice@contoso.com' }
    }
    return $sandbox
}

function global:Exit-DeviceSandbox {
    <# Restores the environment Enter-DeviceSandbox changed and deletes its temp folder. #>
    param([Parameter(Mandatory)] $Sandbox)
    $env:COMPUTERNAME = $Sandbox.SavedEnv.COMPUTERNAME
    $env:USERNAME = $Sandbox.SavedEnv.USERNAME
    $env:PINPACK_FAKE_ICD_MODE = $Sandbox.SavedEnv.MODE
    Remove-Item -LiteralPath $Sandbox.Temp -Recurse -Force -ErrorAction SilentlyContinue
}

function global:Remove-WindowsStub {
    <#
    .SYNOPSIS
    Removes the stand-ins again, so that they never leak into other test files of the same run.
    #>
    foreach ($name in 'Install-ProvisioningPackage', 'Get-ProvisioningPackage', 'Get-AppxPackage', 'whoami.exe', 'icacls.exe', 'shutdown.exe', 'New-FakeIcd',
        'New-CMPackage', 'New-CMProgram', 'Start-CMContentDistribution', 'New-CMScript', 'Enter-DeviceSandbox', 'Exit-DeviceSandbox', 'Remove-PassThrough') {
        Remove-Item -LiteralPath "function:global:$name" -ErrorAction SilentlyContinue
    }
    if (-not (Get-Module -ListAvailable -Name CimCmdlets)) { Remove-Item -LiteralPath 'function:global:Get-CimInstance' -ErrorAction SilentlyContinue }
    Remove-Item -LiteralPath 'function:global:Remove-WindowsStub' -ErrorAction SilentlyContinue
}
