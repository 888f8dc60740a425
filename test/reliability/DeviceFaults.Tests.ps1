#Requires -Modules Pester
<#
.SYNOPSIS
Device scripts under faults (issue #10): setup.ps1 under real pwsh while the disk fills up as it
writes the customizations XML, the PIN file is locked, ICD.exe hangs past its timeout, or the log
folder cannot be written. Whatever happens, every file holding the PIN is removed (or, when the
lock never lifts, the run says so with exit code 19) and the exit code is the documented one.
Each run's outcome is recorded as figures for the reliability report (PINPACK_FIGURES_FILE).
#>

BeforeAll {
    . (Join-Path $PSScriptRoot '../powershell/WindowsStubs.ps1')
    $script:Setup = Join-Path $PSScriptRoot '../../src/core/templates/common/setup.ps1'
    $script:Pin = '58302716'
    $script:Outcomes = [System.Collections.Generic.List[object]]::new()

    function New-FaultPackage {
        $root = Join-Path $script:Temp 'package'
        New-Item -ItemType Directory -Path $root -Force | Out-Null
        [ordered]@{
            schemaVersion = 1; packageName = 'PinPack Faults'; target = 'epm-case1'; upnMode = 'device'
            adDomain = 'contoso.com'; discoveryUrl = 'https://login.mobileiron.com'
            destination = 'C:\ProgramData\PinPack\Package'; logFolder = 'C:\ProgramData\PinPack\Logs'
        } | ConvertTo-Json | Set-Content -LiteralPath (Join-Path $root 'pinpack-settings.json') -Encoding utf8
        $entry = @{ upn = 'pc01@contoso.com'; pin = $script:Pin; expiresAt = [DateTime]::UtcNow.AddHours(12).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'") }
        @{ schemaVersion = 1; pins = @($entry) } | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath (Join-Path $root 'pinpack-pins.json') -Encoding utf8
        return $root
    }

    function Invoke-FaultSetup {
        param([string] $Root, [string] $LogFolder = $script:Logs, [int] $IcdTimeoutSeconds = 1800)
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $output = & $script:Setup -PackageRoot $Root -LogFolder $LogFolder -WorkFolder $script:Work -IcdTimeoutSeconds $IcdTimeoutSeconds
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output -join "`n"); Seconds = $watch.Elapsed.TotalSeconds }
    }

    <# Every file under the sandbox that still holds the PIN, as text (the log, the XML, the PIN file). #>
    function Get-PinHolder {
        @(Get-ChildItem -LiteralPath $script:Temp -Recurse -File -Force -ErrorAction SilentlyContinue | Where-Object {
                -not $_.LinkTarget -and $_.Name -ne 'captured.xml' -and $_.Length -lt 10MB -and ([System.IO.File]::ReadAllText($_.FullName)).Contains($script:Pin)
            } | ForEach-Object { $_.FullName })
    }

    function Add-Outcome {
        param([string] $Fault, [int] $Expected, $Result, [string[]] $Holders, [bool] $LockedFileExpected = $false)
        $script:Outcomes.Add([pscustomobject]@{
                Fault = $Fault; Expected = $Expected; Actual = $Result.ExitCode
                Removed = ($Holders.Count -eq 0) -or $LockedFileExpected
                Leaked = $Result.Output.Contains($script:Pin)
            })
    }
}

AfterAll {
    Remove-WindowsStub
    Remove-Item -LiteralPath 'function:global:Remove-PassThrough' -ErrorAction SilentlyContinue
    $file = $env:PINPACK_FIGURES_FILE
    $runs = $script:Outcomes.Count
    $documented = @($script:Outcomes | Where-Object { $_.Expected -eq $_.Actual }).Count
    $removed = @($script:Outcomes | Where-Object { $_.Removed }).Count
    $leaked = @($script:Outcomes | Where-Object { $_.Leaked }).Count
    $figures = @(
        [ordered]@{ area = 'device scripts'; name = 'setup.ps1 runs under faults (disk full, PIN file locked, ICD hang, log not writable)'; value = $runs; min = 7 }
        [ordered]@{ area = 'device scripts'; name = 'runs that ended with the documented exit code'; value = $documented; min = $runs }
        [ordered]@{ area = 'device scripts'; name = 'runs after which no file held the PIN (a lock that never lifts: exit 19)'; value = $removed; min = $runs }
        [ordered]@{ area = 'device scripts'; name = 'runs that printed the PIN'; value = $leaked; max = 0 }
    )
    foreach ($figure in $figures) {
        Write-Host ('      [figure] {0}: {1} = {2}' -f $figure.area, $figure.name, $figure.value)
        if ($file) { Add-Content -LiteralPath $file -Value ($figure | ConvertTo-Json -Compress) -Encoding utf8 }
    }
}

Describe 'setup.ps1 under device faults' {
    BeforeEach {
        $script:Sandbox = Enter-DeviceSandbox -Prefix 'pinpack-faults-'
        $script:Temp, $script:Logs, $script:Work, $script:Kits = $script:Sandbox.Temp, $script:Sandbox.Logs, $script:Sandbox.Work, $script:Sandbox.Kits
    }

    AfterEach {
        Exit-DeviceSandbox $script:Sandbox
    }

    It 'disk full while writing the XML: exit 1 (unexpected error, logged), the PIN file, the partial XML and the run folder removed' {
        $root = New-FaultPackage
        # The run folder is made as usual, but its customizations.xml is the full device /dev/full.
        Mock New-Item -ParameterFilter { $Path -like '*PinPack-*' } -MockWith {
            [void][System.IO.Directory]::CreateDirectory($Path)
            [void][System.IO.File]::CreateSymbolicLink((Join-Path $Path 'customizations.xml'), '/dev/full')
        }
        $result = Invoke-FaultSetup $root
        $holders = Get-PinHolder
        Add-Outcome 'disk full' 1 $result $holders
        $result.ExitCode | Should -Be 1
        $holders | Should -BeNullOrEmpty
        Test-Path -LiteralPath (Join-Path $root 'pinpack-pins.json') | Should -BeFalse
        @(Get-ChildItem -LiteralPath $script:Work -Force) | Should -BeNullOrEmpty
        [System.IO.File]::ReadAllText((Join-Path $script:Logs 'setup.pinpack.log')) | Should -Match 'No space left on device'
        Should -Invoke Install-ProvisioningPackage -Times 0 -Exactly
    }

    It 'PIN file locked by another process while it is read: exit 11, and the file is still deleted' {
        $root = New-FaultPackage
        $pinFile = Join-Path $root 'pinpack-pins.json'
        $lock = [System.IO.File]::Open($pinFile, 'Open', 'ReadWrite', 'None')
        try {
            $result = Invoke-FaultSetup $root
        }
        finally {
            $lock.Dispose()
        }
        $holders = Get-PinHolder
        Add-Outcome 'PIN file locked for reading' 11 $result $holders
        $result.ExitCode | Should -Be 11
        $holders | Should -BeNullOrEmpty
        [System.IO.File]::ReadAllText((Join-Path $script:Logs 'setup.pinpack.log')) | Should -Match 'The PIN file could not be read'
    }

    It 'PIN file locked for a moment when it is deleted (an antivirus scan): retried, deleted, exit 0' {
        $root = New-FaultPackage
        $global:PinPackLockedDeletes = 2
        Mock Remove-Item { Remove-PassThrough $LiteralPath }
        Mock Remove-Item -ParameterFilter { $LiteralPath -like '*pinpack-pins.json' -and $global:PinPackLockedDeletes -gt 0 } -MockWith {
            $global:PinPackLockedDeletes--
            throw [System.IO.IOException]::new('The process cannot access the file because it is being used by another process.')
        }
        $result = Invoke-FaultSetup $root
        Remove-Variable -Name PinPackLockedDeletes -Scope Global
        $holders = Get-PinHolder
        Add-Outcome 'PIN file locked for a moment' 0 $result $holders
        $result.ExitCode | Should -Be 0
        $holders | Should -BeNullOrEmpty
        Test-Path -LiteralPath (Join-Path $root 'pinpack-pins.json') | Should -BeFalse
    }

    It 'PIN file locked for good: exit 19 (delete it by hand), every other file holding the PIN removed, the PIN never printed' {
        $root = New-FaultPackage
        Mock Remove-Item { Remove-PassThrough $LiteralPath }
        Mock Remove-Item -ParameterFilter { $LiteralPath -like '*pinpack-pins.json' } -MockWith {
            throw [System.IO.IOException]::new('The process cannot access the file because it is being used by another process.')
        }
        $result = Invoke-FaultSetup $root
        $holders = @(Get-PinHolder)
        Add-Outcome 'PIN file locked for good' 19 $result $holders -LockedFileExpected ($holders.Count -eq 1 -and $holders[0] -like '*pinpack-pins.json')
        $result.ExitCode | Should -Be 19
        $holders | Should -Be @((Join-Path $root 'pinpack-pins.json'))
        @(Get-ChildItem -LiteralPath $script:Work -Force) | Should -BeNullOrEmpty
        $result.Output | Should -Match 'delete it by hand'
        $result.Output | Should -Not -Match $script:Pin
    }

    It 'ICD.exe hanging past the timeout: stopped, exit 17, the PIN file, XML and run folder removed' {
        $root = New-FaultPackage
        $env:PINPACK_FAKE_ICD_MODE = 'hang'
        $result = Invoke-FaultSetup $root -IcdTimeoutSeconds 2
        $holders = Get-PinHolder
        Add-Outcome 'ICD hanging' 17 $result $holders
        $result.ExitCode | Should -Be 17
        $result.Seconds | Should -BeLessThan 60
        $result.Output | Should -Match 'did not finish within 2 seconds'
        $holders | Should -BeNullOrEmpty
        @(Get-ChildItem -LiteralPath $script:Work -Force) | Should -BeNullOrEmpty
        Should -Invoke Install-ProvisioningPackage -Times 0 -Exactly
    }

    It 'log folder that cannot be created: the run enrolls (exit 0), logs in the work folder, removes the PIN file' {
        $root = New-FaultPackage
        $blocker = Join-Path $script:Temp 'a-file'
        Set-Content -LiteralPath $blocker -Value 'not a folder'
        $result = Invoke-FaultSetup $root -LogFolder (Join-Path $blocker 'logs')
        $holders = Get-PinHolder
        Add-Outcome 'log folder not creatable' 0 $result $holders
        $result.ExitCode | Should -Be 0
        $holders | Should -BeNullOrEmpty
        Test-Path -LiteralPath (Join-Path $root 'pinpack-pins.json') | Should -BeFalse
        $fallback = [System.IO.File]::ReadAllText((Join-Path $script:Work 'setup.pinpack.log'))
        $fallback | Should -Match 'could not be (created|written)'
        $fallback | Should -Match 'finished with exit code 0'
    }

    It 'log on a full disk: the run enrolls (exit 0), the log moves to the work folder, the PIN file is removed' {
        $root = New-FaultPackage
        New-Item -ItemType Directory -Path $script:Logs -Force | Out-Null
        [void][System.IO.File]::CreateSymbolicLink((Join-Path $script:Logs 'setup.pinpack.log'), '/dev/full')
        $result = Invoke-FaultSetup $root
        $holders = Get-PinHolder
        Add-Outcome 'log disk full' 0 $result $holders
        $result.ExitCode | Should -Be 0
        $holders | Should -BeNullOrEmpty
        Should -Invoke Install-ProvisioningPackage -Times 1 -Exactly
        $fallback = [System.IO.File]::ReadAllText((Join-Path $script:Work 'setup.pinpack.log'))
        $fallback | Should -Match 'could not be written'
        $fallback | Should -Match 'finished with exit code 0'
        $fallback | Should -Not -Match $script:Pin
    }
}
