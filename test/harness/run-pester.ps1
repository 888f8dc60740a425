<#
.SYNOPSIS
Runs PinPack's Pester suite and writes its counts as JSON for test/harness/run-all.mjs.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string] $PesterManifest,
    [Parameter(Mandatory)][string] $TestPath,
    [Parameter(Mandatory)][string] $ResultsFile
)
$ErrorActionPreference = 'Stop'
Import-Module -Name $PesterManifest -Force

$configuration = New-PesterConfiguration
$configuration.Run.Path = $TestPath
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'

$result = Invoke-Pester -Configuration $configuration

# A failed BeforeAll or a test file that does not load fails its block or container, not a test:
# count those too, so a broken file can never look green.
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
[ordered]@{
    passed  = $result.PassedCount
    failed  = $failed
    skipped = $result.SkippedCount
} | ConvertTo-Json | Set-Content -LiteralPath $ResultsFile -Encoding utf8
