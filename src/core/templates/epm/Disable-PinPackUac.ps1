<#
.SYNOPSIS
EPM case 3b, task 1 of 3: saves the current UAC settings, turns UAC OFF and schedules a reboot.

.DESCRIPTION
WARNING: THIS WEAKENS THE DEVICE. With UAC off, every program an administrator starts runs with
full rights without a prompt. Keep the window short: run setup.ps1 as the user (task 2), then
Restore-PinPackUac.ps1 (task 3) as soon as it is done.

It reads EnableLUA and ConsentPromptBehaviorAdmin under
HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System and saves them, exactly as they
are (a missing value is saved as missing), to the state file, which Restore-PinPackUac.ps1 puts
back. If a state file already exists (this script ran before and UAC was not restored yet), it is
kept as it is: overwriting it would save the disabled values and lose the real ones.
Then it sets EnableLUA = 0 and ConsentPromptBehaviorAdmin = 0 and schedules a reboot, which the
change of EnableLUA needs.

.PARAMETER RegistryPath
The UAC policy key. Default: HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System.

.PARAMETER StateFile
Where the original values are saved. Default: %ProgramData%\PinPack\uac-saved.json.

.PARAMETER LogFolder
Where the log goes. Default: %ProgramData%\PinPack\Logs.

.PARAMETER RebootDelaySeconds
The delay before the scheduled reboot, so that EPM can collect the result. Default: 60.

.NOTES
Exit codes:
   0  values saved, UAC turned off, reboot scheduled
   1  unexpected error (see the log)
  20  the UAC values could not be read or saved: nothing was changed
  21  the UAC values could not be written
  22  the reboot could not be scheduled (UAC is off until the device restarts)
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
    Write-Warning 'PinPack turns UAC OFF on this device. It is weakened until Restore-PinPackUac.ps1 runs and the device restarts.'
    Write-PinPackLog 'WARNING: turning UAC off. The device is weakened until Restore-PinPackUac.ps1 runs.' 'WARN'

    $stage = 20
    if (Test-Path -LiteralPath $StateFile -PathType Leaf) {
        Write-PinPackLog ('{0} already exists: keeping the values saved there (UAC was not restored since).' -f $StateFile) 'WARN'
    }
    else {
        $current = Get-ItemProperty -LiteralPath $RegistryPath
        $saved = [ordered]@{}
        foreach ($name in $valueNames) {
            $property = $current.PSObject.Properties[$name]
            if ($null -eq $property) { $saved[$name] = $null } else { $saved[$name] = [int]$property.Value }
            Write-PinPackLog ('Saved {0} = {1}' -f $name, $(if ($null -eq $saved[$name]) { '(absent)' } else { $saved[$name] }))
        }
        $stateFolder = Split-Path -Parent $StateFile
        if (-not (Test-Path -LiteralPath $stateFolder)) { New-Item -ItemType Directory -Path $stateFolder -Force | Out-Null }
        [System.IO.File]::WriteAllText($StateFile, ($saved | ConvertTo-Json), [System.Text.UTF8Encoding]::new($false))
    }

    $stage = 21
    New-ItemProperty -LiteralPath $RegistryPath -Name 'EnableLUA' -Value 0 -PropertyType DWord -Force | Out-Null
    New-ItemProperty -LiteralPath $RegistryPath -Name 'ConsentPromptBehaviorAdmin' -Value 0 -PropertyType DWord -Force | Out-Null
    Write-PinPackLog 'UAC turned off (EnableLUA = 0, ConsentPromptBehaviorAdmin = 0).' 'WARN'

    $stage = 22
    & shutdown.exe /r /t $RebootDelaySeconds /c 'PinPack: restarting to turn UAC off for the enrollment (EPM case 3b).'
    if ($LASTEXITCODE -ne 0) { throw ('shutdown.exe exited with {0}' -f $LASTEXITCODE) }
    Write-PinPackLog ('Reboot scheduled in {0} s.' -f $RebootDelaySeconds)
    $exitCode = 0
}
catch {
    $exitCode = $stage
    Write-PinPackLog ('Failed with exit code {0}: {1}' -f $exitCode, $_.Exception.Message) 'ERROR'
}
finally {
    Write-PinPackLog ('Disable-PinPackUac finished with exit code {0}' -f $exitCode)
}

Write-Output ('PinPack UAC off: exit {0}' -f $exitCode)
exit $exitCode
