<#
.SYNOPSIS
EPM case 3b, task 3 of 3: puts back EXACTLY the UAC values Disable-PinPackUac.ps1 saved, and
schedules a reboot.

.DESCRIPTION
It never assumes defaults: without the state file it changes nothing and fails loudly, because
only the saved values are known to be this device's own. A value that was absent before is
removed again. The state file is deleted only after every value was restored.
Until this script has run and the device has restarted, UAC stays OFF and the device is weakened.

.PARAMETER RegistryPath
The UAC policy key. Default: HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System.

.PARAMETER StateFile
The values saved by Disable-PinPackUac.ps1. Default: %ProgramData%\PinPack\uac-saved.json.

.PARAMETER LogFolder
Where the log goes. Default: %ProgramData%\PinPack\Logs.

.PARAMETER RebootDelaySeconds
The delay before the scheduled reboot. Default: 60.

.NOTES
Exit codes:
   0  values restored, reboot scheduled
   1  unexpected error (see the log)
  20  no saved values (state file missing or unreadable): nothing was changed; restore UAC by hand
  21  the saved values could not be written back
  22  the reboot could not be scheduled (UAC comes back at the next restart)
#>
[CmdletBinding()]
param(
    [string] $RegistryPath = 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System',
    [string] $StateFile,
    [string] $LogFolder,
    [int] $RebootDelaySeconds = 60
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

if (-not $StateFile) { $StateFile = Join-Path $env:ProgramData 'PinPack\uac-saved.json' }
if (-not $LogFolder) { $LogFolder = Join-Path $env:ProgramData 'PinPack\Logs' }

$script:LogFile = $null
$script:Utf8Bom = [System.Text.UTF8Encoding]::new($true)
$script:Invariant = [System.Globalization.CultureInfo]::InvariantCulture
$valueNames = @('EnableLUA', 'ConsentPromptBehaviorAdmin')

function Write-PinPackLog {
    param([Parameter(Mandatory = $true)][string] $Message, [string] $Level = 'INFO')
    $line = '{0} {1} {2}' -f [DateTime]::UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", $script:Invariant), $Level, $Message
    if ($null -ne $script:LogFile) {
        [System.IO.File]::AppendAllText($script:LogFile, $line + [Environment]::NewLine, $script:Utf8Bom)
    }
}

$exitCode = 1
$stage = 1
try {
    if (-not (Test-Path -LiteralPath $LogFolder)) { New-Item -ItemType Directory -Path $LogFolder -Force | Out-Null }
    $script:LogFile = Join-Path $LogFolder 'uac.pinpack.log'

    $stage = 20
    if (-not (Test-Path -LiteralPath $StateFile -PathType Leaf)) {
        throw ('{0} is missing: the original UAC values are unknown. UAC is NOT restored; set EnableLUA and ConsentPromptBehaviorAdmin by hand.' -f $StateFile)
    }
    $saved = [System.IO.File]::ReadAllText($StateFile) | ConvertFrom-Json
    foreach ($name in $valueNames) {
        if ($null -eq $saved.PSObject.Properties[$name]) { throw ('{0} does not record {1}: UAC is NOT restored.' -f $StateFile, $name) }
    }

    $stage = 21
    foreach ($name in $valueNames) {
        $value = $saved.PSObject.Properties[$name].Value
        if ($null -eq $value) {
            Remove-ItemProperty -LiteralPath $RegistryPath -Name $name -ErrorAction SilentlyContinue
            Write-PinPackLog ('Restored {0}: removed, as it was absent before' -f $name)
        }
        else {
            New-ItemProperty -LiteralPath $RegistryPath -Name $name -Value ([int]$value) -PropertyType DWord -Force | Out-Null
            Write-PinPackLog ('Restored {0} = {1}' -f $name, [int]$value)
        }
    }
    Remove-Item -LiteralPath $StateFile -Force

    $stage = 22
    & shutdown.exe /r /t $RebootDelaySeconds /c 'PinPack: restarting to turn UAC back on.'
    if ($LASTEXITCODE -ne 0) { throw ('shutdown.exe exited with {0}' -f $LASTEXITCODE) }
    Write-PinPackLog ('Reboot scheduled in {0} s; UAC is back after the restart.' -f $RebootDelaySeconds)
    $exitCode = 0
}
catch {
    $exitCode = $stage
    Write-PinPackLog ('Failed with exit code {0}: {1}' -f $exitCode, $_.Exception.Message) 'ERROR'
}
finally {
    Write-PinPackLog ('Restore-PinPackUac finished with exit code {0}' -f $exitCode)
}

Write-Output ('PinPack UAC restore: exit {0}' -f $exitCode)
exit $exitCode
