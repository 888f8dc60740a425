<#
.SYNOPSIS
EPM case 3a, step 2 (runs as LocalSystem): enrolls from the folder step 1 staged, then deletes
every staged folder whatever happens.

.DESCRIPTION
Picks the newest run-* folder under StagingRoot that holds pinpack-identity.json, and runs the
setup.ps1 shipped BESIDE THIS SCRIPT with -PackageRoot set to that folder: the staged folder was
written by the user, so only its data (settings, PINs, identity) is used, never its code, which
keeps a user from running a script of their own as LocalSystem. Then it deletes every run-*
folder under StagingRoot, because each of them holds a PIN file.

.PARAMETER StagingRoot
Where step 1 staged the package. Default: %ProgramData%\PinPack\Staging.

.PARAMETER LogFolder
Passed on to setup.ps1, and where this script logs. Default: %ProgramData%\PinPack\Logs.

.PARAMETER WorkFolder
Passed on to setup.ps1 (where it builds the .ppkg). Default: the temp folder.

.NOTES
Exit codes:
   0-19  setup.ps1's own exit code (see setup.ps1 and README.md)
   1     unexpected error (see the log)
  32     no staged package: run step 1 as the user first
  33     enrollment ran, but a staged folder (holding the PIN file) could not be deleted
#>
[CmdletBinding()]
param(
    [string] $StagingRoot,
    [string] $LogFolder,
    [string] $WorkFolder = [System.IO.Path]::GetTempPath()
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

function Remove-PinPackStaged {
    <# Deletes a staging folder. An antivirus scan may hold a file for a moment: tries a few times. #>
    param([Parameter(Mandatory = $true)][string] $Path)
    for ($attempt = 1; $attempt -le 5; $attempt++) {
        try {
            if (Test-Path -LiteralPath $Path) { Remove-Item -LiteralPath $Path -Recurse -Force }
            Write-PinPackLog ('Deleted {0}' -f $Path)
            return $true
        }
        catch {
            $problem = $_.Exception.Message
            if ($attempt -lt 5) { Start-Sleep -Milliseconds (250 * $attempt) }
        }
    }
    Write-PinPackLog ('Could not delete {0}: {1}. It holds the PIN file: delete it by hand.' -f $Path, $problem) 'ERROR'
    return $false
}

$exitCode = 1
try {
    try {
        if (-not (Test-Path -LiteralPath $LogFolder)) { New-Item -ItemType Directory -Path $LogFolder -Force | Out-Null }
        $script:LogFile = Join-Path $LogFolder 'step2.pinpack.log'
    }
    catch {
        $script:LogFile = $null
    }
    Write-PinPackLog ('Step 2 started as {0}; staging folder {1}' -f $env:USERNAME, $StagingRoot)

    $staged = @()
    if (Test-Path -LiteralPath $StagingRoot) {
        $staged = @(Get-ChildItem -LiteralPath $StagingRoot -Directory -Filter 'run-*' |
                Where-Object { Test-Path -LiteralPath (Join-Path $_.FullName 'pinpack-identity.json') -PathType Leaf } |
                Sort-Object -Property Name -Descending)
    }
    if ($staged.Count -eq 0) {
        $exitCode = 32
        Write-PinPackLog 'No staged package was found: run step 1 as the user first.' 'ERROR'
    }
    else {
        $runFolder = $staged[0].FullName
        $setup = Join-Path $PSScriptRoot 'setup.ps1'
        Write-PinPackLog ('Running {0} on {1}' -f $setup, $runFolder)
        $output = & $setup -PackageRoot $runFolder -LogFolder $LogFolder -WorkFolder $WorkFolder
        $exitCode = $LASTEXITCODE
        foreach ($line in @($output)) { Write-PinPackLog ('setup: {0}' -f $line) }
    }
}
catch {
    $exitCode = 1
    Write-PinPackLog ('Failed with an unexpected error: {0}' -f $_.Exception.Message) 'ERROR'
}
finally {
    $deleted = $true
    if (Test-Path -LiteralPath $StagingRoot) {
        foreach ($folder in @(Get-ChildItem -LiteralPath $StagingRoot -Directory -Filter 'run-*')) {
            if (-not (Remove-PinPackStaged -Path $folder.FullName)) { $deleted = $false }
        }
    }
    if (-not $deleted -and $exitCode -eq 0) { $exitCode = 33 }
    Write-PinPackLog ('Step 2 finished with exit code {0}' -f $exitCode)
}

Write-Output ('PinPack step 2: exit {0}' -f $exitCode)
exit $exitCode
