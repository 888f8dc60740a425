<#
.SYNOPSIS
EPM case 3a, step 1 (runs as the current user): copies the package to a per-run staging folder
and records the user's identity for step 2.

.DESCRIPTION
The EPM package location cannot be modified in case 3a, and the enrollment needs both the user's
identity (known only as the user) and administrative rights (LocalSystem). Step 1 therefore:
  1. resolves the signed-in user's UPN (whoami /upn, else the directory's UPN or mail);
  2. makes <StagingRoot>\run-<UTC time>-<random>, readable only by SYSTEM, the Administrators
     and this user (ProgramData lets every user read by default, and the copy holds the PIN
     file), and copies this package folder into it;
  3. writes pinpack-identity.json there: { "upn": ..., "account": ..., "recordedAt": ... }.
Step 2 (setupEPMCopyContentsToTempFolderStep2.ps1, LocalSystem) enrolls from that folder and
deletes it. If step 1 fails after creating the folder, it deletes the folder itself: the copy
holds the PIN file.

.PARAMETER PackageRoot
The package folder to copy. Default: this script's folder.

.PARAMETER StagingRoot
Where the per-run folders are made; step 2 must use the same. Default: %ProgramData%\PinPack\Staging.

.PARAMETER LogFolder
Where the log goes. Default: %ProgramData%\PinPack\Logs.

.NOTES
Exit codes:
   0  package staged and identity recorded
   1  unexpected error (see the log)
  30  the signed-in user's UPN could not be determined
  31  the package could not be copied to the staging folder
  34  the staging folder could not be restricted to SYSTEM, the Administrators and this user
  35  step 1 failed, and its half-made copy (which may hold the PIN file) could not be deleted:
      delete it by hand (the log names it)
#>
[CmdletBinding()]
param(
    [string] $PackageRoot = $PSScriptRoot,
    [string] $StagingRoot,
    [string] $LogFolder
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

if (-not $StagingRoot) { $StagingRoot = Join-Path $env:ProgramData 'PinPack\Staging' }
if (-not $LogFolder) { $LogFolder = Join-Path $env:ProgramData 'PinPack\Logs' }

$script:LogFile = $null
$script:Utf8Bom = [System.Text.UTF8Encoding]::new($true)
$script:Invariant = [System.Globalization.CultureInfo]::InvariantCulture

function Write-PinPackLog {
    param([Parameter(Mandatory = $true)][string] $Message, [string] $Level = 'INFO')
    $line = '{0} {1} {2}' -f [DateTime]::UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", $script:Invariant), $Level, $Message
    if ($null -ne $script:LogFile) {
        [System.IO.File]::AppendAllText($script:LogFile, $line + [Environment]::NewLine, $script:Utf8Bom)
    }
}

function Stop-PinPackRun {
    param([Parameter(Mandatory = $true)][int] $Code, [Parameter(Mandatory = $true)][string] $Message)
    $exception = [System.InvalidOperationException]::new($Message)
    $exception.Data['PinPackExitCode'] = $Code
    throw $exception
}

function Invoke-PinPackTool {
    <# Runs a Windows tool; its output lines and exit code (1 when it cannot be started). #>
    param([Parameter(Mandatory = $true)][string] $FilePath, [string[]] $ArgumentList = @())
    $previous = $ErrorActionPreference
    $ErrorActionPreference = 'Continue'
    try {
        $output = @(& $FilePath @ArgumentList 2>&1 | ForEach-Object { [string]$_ })
        $code = $LASTEXITCODE
    }
    catch {
        $output = @([string]$_.Exception.Message)
        $code = 1
    }
    finally {
        $ErrorActionPreference = $previous
    }
    return [pscustomobject]@{ Output = $output; ExitCode = $code }
}

function Get-PinPackUserUpn {
    $whoami = Invoke-PinPackTool -FilePath 'whoami.exe' -ArgumentList @('/upn')
    $output = @($whoami.Output)
    if ($whoami.ExitCode -eq 0 -and $output.Count -gt 0 -and $output[0].Trim()) { return $output[0].Trim() }
    try {
        # RFC 4515 escaping: a name is data, never part of the filter.
        $escaped = ([string]$env:USERNAME).Replace('\', '\5c').Replace('*', '\2a').Replace('(', '\28').Replace(')', '\29')
        $filter = '(&(objectCategory=person)(sAMAccountName={0}))' -f $escaped
        $searcher = New-Object -TypeName System.DirectoryServices.DirectorySearcher -ArgumentList $filter
        $found = $searcher.FindOne()
    }
    catch {
        Write-PinPackLog ('The directory could not be searched: {0}' -f $_.Exception.Message) 'WARN'
        $found = $null
    }
    if ($null -ne $found) {
        foreach ($attribute in @('userprincipalname', 'mail')) {
            $values = $found.Properties[$attribute]
            if ($null -ne $values -and @($values).Count -gt 0 -and [string]@($values)[0]) { return [string]@($values)[0] }
        }
    }
    return $null
}

function Get-PinPackUserSid {
    # "DOMAIN\user","S-1-5-21-..." (CSV: the same on every display language of Windows).
    $whoami = Invoke-PinPackTool -FilePath 'whoami.exe' -ArgumentList @('/user', '/fo', 'csv', '/nh')
    $output = @($whoami.Output)
    if ($whoami.ExitCode -eq 0 -and $output.Count -gt 0 -and $output[0] -match '"(S-1-[0-9-]+)"\s*$') { return $Matches[1] }
    return $null
}

function Protect-PinPackFolder {
    <# Only SYSTEM (step 2), the Administrators and this user may open the folder: it will hold the PIN file. #>
    param([Parameter(Mandatory = $true)][string] $Path)
    $sid = Get-PinPackUserSid
    if (-not $sid) { Stop-PinPackRun 34 ('The security identifier of {0} could not be read (whoami /user), so the staging folder cannot be restricted to this user.' -f $env:USERNAME) }
    # Well-known SIDs, not names: group names differ by display language (Japanese Windows included).
    $icacls = Invoke-PinPackTool -FilePath 'icacls.exe' -ArgumentList @($Path, '/inheritance:r', '/grant:r', '*S-1-5-18:(OI)(CI)F', '*S-1-5-32-544:(OI)(CI)F', ('*{0}:(OI)(CI)F' -f $sid))
    if ($icacls.ExitCode -ne 0) { Stop-PinPackRun 34 ('The staging folder {0} could not be restricted to SYSTEM, the Administrators and {1} (icacls exit code {2}: {3}).' -f $Path, $env:USERNAME, $icacls.ExitCode, (@($icacls.Output) -join ' ')) }
    Write-PinPackLog ('Staging folder restricted to SYSTEM, the Administrators and {0} ({1}).' -f $env:USERNAME, $sid)
}

function Remove-PinPackStaged {
    <# Deletes a staging folder. An antivirus scan may hold a file for a moment: tries a few times. #>
    param([Parameter(Mandatory = $true)][string] $Path)
    for ($attempt = 1; $attempt -le 5; $attempt++) {
        try {
            if (Test-Path -LiteralPath $Path) { Remove-Item -LiteralPath $Path -Recurse -Force }
            return $true
        }
        catch {
            $problem = $_.Exception.Message
            if ($attempt -lt 5) { Start-Sleep -Milliseconds (250 * $attempt) }
        }
    }
    Write-PinPackLog ('Could not delete {0}: {1}' -f $Path, $problem) 'ERROR'
    return $false
}

$exitCode = 1
$runFolder = $null
try {
    try {
        if (-not (Test-Path -LiteralPath $LogFolder)) { New-Item -ItemType Directory -Path $LogFolder -Force | Out-Null }
        $script:LogFile = Join-Path $LogFolder 'step1.pinpack.log'
    }
    catch {
        $script:LogFile = $null
    }
    Write-PinPackLog ('Step 1 started as {0} from {1}' -f $env:USERNAME, $PackageRoot)

    $upn = Get-PinPackUserUpn
    if (-not $upn) { Stop-PinPackRun 30 ('The UPN of the signed-in user {0} could not be determined.' -f $env:USERNAME) }
    Write-PinPackLog ('Identity: {0}' -f $upn)

    $stamp = [DateTime]::UtcNow.ToString('yyyyMMddHHmmss', $script:Invariant)
    $runFolder = Join-Path $StagingRoot ('run-{0}-{1}' -f $stamp, [guid]::NewGuid().ToString('N').Substring(0, 8))
    try {
        New-Item -ItemType Directory -Path $runFolder -Force | Out-Null
    }
    catch {
        Stop-PinPackRun 31 ('The staging folder {0} could not be created: {1}' -f $runFolder, $_.Exception.Message)
    }
    Protect-PinPackFolder -Path $runFolder
    try {
        Copy-Item -Path (Join-Path $PackageRoot '*') -Destination $runFolder -Recurse -Force
        $identity = [ordered]@{
            upn        = $upn
            account    = $env:USERNAME
            recordedAt = [DateTime]::UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", $script:Invariant)
        }
        [System.IO.File]::WriteAllText((Join-Path $runFolder 'pinpack-identity.json'), ($identity | ConvertTo-Json), [System.Text.UTF8Encoding]::new($false))
    }
    catch {
        Stop-PinPackRun 31 ('The package could not be copied to {0}: {1}' -f $runFolder, $_.Exception.Message)
    }
    $exitCode = 0
    Write-PinPackLog ('Staged in {0}; run step 2 as LocalSystem next.' -f $runFolder)
}
catch {
    $code = $_.Exception.Data['PinPackExitCode']
    if ($null -eq $code) { $exitCode = 1 } else { $exitCode = [int]$code }
    Write-PinPackLog ('Failed with exit code {0}: {1}' -f $exitCode, $_.Exception.Message) 'ERROR'
    # A half-made copy holds the PIN file: it must not stay behind, and when it does, the admin must know.
    if ($null -ne $runFolder -and -not (Remove-PinPackStaged -Path $runFolder)) {
        $exitCode = 35
        Write-PinPackLog ('The half-made copy {0} may hold the PIN file and could not be deleted: delete it by hand.' -f $runFolder) 'ERROR'
    }
}
finally {
    Write-PinPackLog ('Step 1 finished with exit code {0}' -f $exitCode)
}

Write-Output ('PinPack step 1: exit {0}' -f $exitCode)
exit $exitCode
