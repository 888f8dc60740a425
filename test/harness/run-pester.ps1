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
# Each failure's title and the first lines of its error, which run-all.mjs repeats by its summary.
$failures = @(
    foreach ($item in @($result.Failed) + @($result.FailedBlocks) + @($result.FailedContainers)) {
        $title = if ($item.ExpandedPath) { $item.ExpandedPath } elseif ($item.Name) { $item.Name } else { "$($item.Item)" }
        $message = @($item.ErrorRecord | ForEach-Object { "$($_.Exception.Message)" -split "`n" } | Where-Object { $_.Trim() }) | Select-Object -First 3
        $text = if ($message) { $message -join ' / ' } else { '(no error of its own: its block failed, below)' }
        [ordered]@{ title = "$title"; message = $text.Substring(0, [Math]::Min(500, $text.Length)) }
    }
)
[ordered]@{
    passed   = $result.PassedCount
    failed   = $failed
    skipped  = $result.SkippedCount
    failures = $failures
} | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath $ResultsFile -Encoding utf8
