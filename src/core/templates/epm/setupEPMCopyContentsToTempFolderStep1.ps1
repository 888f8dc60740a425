<#
.SYNOPSIS
EPM case 3a, step 1 (runs as the current user): copies the package to a per-run staging folder
and records the user's identity for step 2.

.DESCRIPTION
The EPM package location cannot be modified in case 3a, and the enrollment needs both the user's
identity (known only as the user) and administrative rights (LocalSystem). Step 1 therefore:
  1. resolves the signed-in user's UPN (whoami /upn, else the directory's UPN or mail);
  2. copies this package folder to <StagingRoot>\run-<UTC time>-<random>;
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

function Get-PinPackUserUpn {
    $previous = $ErrorActionPreference
    $ErrorActionPreference = 'Continue'
    try {
        $output = @(& whoami.exe /upn 2>&1 | ForEach-Object { [string]$_ })
        $code = $LASTEXITCODE
    }
    catch {
        $output = @()
        $code = 1
    }
    finally {
        $ErrorActionPreference = $previous
    }
    if ($code -eq 0 -and $output.Count -gt 0 -and $output[0].Trim()) { return $output[0].Trim() }
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
    # A half-made copy holds the PIN file: it must not stay behind.
    if ($null -ne $runFolder -and (Test-Path -LiteralPath $runFolder)) {
        Remove-Item -LiteralPath $runFolder -Recurse -Force -ErrorAction SilentlyContinue
    }
}
finally {
    Write-PinPackLog ('Step 1 finished with exit code {0}' -f $exitCode)
}

Write-Output ('PinPack step 1: exit {0}' -f $exitCode)
exit $exitCode
