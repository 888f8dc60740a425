BeforeAll {
    . (Join-Path $PSScriptRoot 'WindowsStubs.ps1')
    $script:Templates = Join-Path $PSScriptRoot '../../src/core/templates'
    $script:Pin = '581302'
}

AfterAll {
    Remove-WindowsStub
}

Describe 'EPM case 3a: the two steps through a staging folder' {
    BeforeEach {
        $script:Temp = Join-Path ([System.IO.Path]::GetTempPath()) ('pinpack-epm-' + [guid]::NewGuid().ToString('N'))
        # The package as EPM places it on the device: the scripts and the two data files side by side.
        $script:Package = Join-Path $script:Temp 'package'
        $script:Staging = Join-Path $script:Temp 'staging'
        $script:Logs = Join-Path $script:Temp 'logs'
        $script:Work = Join-Path $script:Temp 'work'
        New-Item -ItemType Directory -Path $script:Package, $script:Work -Force | Out-Null
        Copy-Item (Join-Path $script:Templates 'common/setup.ps1') $script:Package
        Copy-Item (Join-Path $script:Templates 'epm/setupEPMCopyContentsToTempFolderStep1.ps1') $script:Package
        Copy-Item (Join-Path $script:Templates 'epm/setupEPMCopyContentsToTempFolderStep2.ps1') $script:Package
        [ordered]@{
            schemaVersion = 1; packageName = 'Sales'; target = 'epm-case3-twostep'; upnMode = 'recorded-user'; adDomain = $null
            discoveryUrl = 'https://login.mobileiron.com'; destination = 'C:\ProgramData\PinPack\Package'; logFolder = 'C:\ProgramData\PinPack\Logs'
        } | ConvertTo-Json | Set-Content -LiteralPath (Join-Path $script:Package 'pinpack-settings.json')
        @{ schemaVersion = 1; pins = @(@{ upn = 'dana@contoso.com'; pin = $script:Pin; expiresAt = [DateTime]::UtcNow.AddHours(6).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'") }) } |
            ConvertTo-Json -Depth 4 | Set-Content -LiteralPath (Join-Path $script:Package 'pinpack-pins.json')

        $env:PINPACK_TEST_KITS = New-FakeIcd -KitsRoot (Join-Path $script:Temp 'kits')
        $env:PINPACK_FAKE_ICD_MODE = 'ok'
        $env:PINPACK_FAKE_ICD_CAPTURE = ''
        $env:PINPACK_FAKE_ICD_ARGS = Join-Path $script:Temp 'icd-args.txt'
        $script:SavedUser = $env:USERNAME
        $env:USERNAME = 'dana'
        Mock whoami.exe { $global:LASTEXITCODE = 0; if ($args -contains '/user') { '"CONTOSO\dana","S-1-5-21-1004336348-1177238915-682003330-1105"' } else { 'dana@contoso.com' } }
        # What icacls was asked, and whether the PIN file was already in the folder at that moment.
        $global:PinPackIcacls = [System.Collections.Generic.List[object]]::new()
        Mock icacls.exe {
            $global:PinPackIcacls.Add([pscustomobject]@{ Arguments = @($args); PinFileThere = (Test-Path -LiteralPath (Join-Path $args[0] 'pinpack-pins.json')) })
            $global:LASTEXITCODE = 0
            'processed file: ' + $args[0]
        }
        Mock Get-ItemProperty -ParameterFilter { $LiteralPath -like 'HKLM:*Installed Roots' } -MockWith { [pscustomobject]@{ KitsRoot10 = $env:PINPACK_TEST_KITS } }
        Mock Get-AppxPackage { @() }
        Mock Get-ProvisioningPackage { @() }
        Mock Install-ProvisioningPackage { [pscustomobject]@{ Result = 0 } }
    }

    AfterEach {
        $env:USERNAME = $script:SavedUser
        Remove-Item -LiteralPath $script:Temp -Recurse -Force -ErrorAction SilentlyContinue
        Remove-Variable -Name PinPackIcacls -Scope Global -ErrorAction SilentlyContinue
    }

    It 'step 1 stages a copy with the recorded identity; step 2 enrolls that identity and deletes the staging folder' {
        & (Join-Path $script:Package 'setupEPMCopyContentsToTempFolderStep1.ps1') -StagingRoot $script:Staging -LogFolder $script:Logs | Out-Null
        $LASTEXITCODE | Should -Be 0
        $runs = @(Get-ChildItem -LiteralPath $script:Staging -Directory)
        $runs | Should -HaveCount 1
        $runs[0].Name | Should -Match '^run-\d{14}-[0-9a-f]{8}$'
        (Get-Content -LiteralPath (Join-Path $runs[0].FullName 'pinpack-identity.json') -Raw | ConvertFrom-Json).upn | Should -Be 'dana@contoso.com'
        Test-Path -LiteralPath (Join-Path $runs[0].FullName 'pinpack-pins.json') | Should -BeTrue

        & (Join-Path $script:Package 'setupEPMCopyContentsToTempFolderStep2.ps1') -StagingRoot $script:Staging -LogFolder $script:Logs -WorkFolder $script:Work | Out-Null
        $LASTEXITCODE | Should -Be 0
        Should -Invoke Install-ProvisioningPackage -Times 1 -Exactly
        @(Get-ChildItem -LiteralPath $script:Staging -Force) | Should -HaveCount 0
        @(Get-ChildItem -LiteralPath $script:Work -Force) | Should -HaveCount 0
        Get-Content -LiteralPath (Join-Path $script:Logs 'setup.pinpack.log') -Raw | Should -Match 'Enrollment UPN: dana@contoso.com'
        Get-ChildItem -LiteralPath $script:Logs -File | ForEach-Object { Get-Content -LiteralPath $_.FullName -Raw } | Should -Not -Match $script:Pin
    }

    It 'writes every log as UTF-8 with one BOM, a Japanese UPN intact, so Notepad on Japanese Windows reads it' {
        # Built from code points: this test file stays ASCII.
        $upn = "$([char]0x5C71)$([char]0x7530)$([char]0x592A)$([char]0x90CE)@contoso.co.jp"
        $global:PinPackTestUpn = $upn
        Mock whoami.exe { $global:LASTEXITCODE = 0; if ($args -contains '/user') { '"CONTOSO\yamada","S-1-5-21-1004336348-1177238915-682003330-1106"' } else { $global:PinPackTestUpn } }
        @{ schemaVersion = 1; pins = @(@{ upn = $upn; pin = $script:Pin; expiresAt = [DateTime]::UtcNow.AddHours(6).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'") }) } |
            ConvertTo-Json -Depth 4 | Set-Content -LiteralPath (Join-Path $script:Package 'pinpack-pins.json') -Encoding utf8
        & (Join-Path $script:Package 'setupEPMCopyContentsToTempFolderStep1.ps1') -StagingRoot $script:Staging -LogFolder $script:Logs | Out-Null
        $LASTEXITCODE | Should -Be 0
        & (Join-Path $script:Package 'setupEPMCopyContentsToTempFolderStep2.ps1') -StagingRoot $script:Staging -LogFolder $script:Logs -WorkFolder $script:Work | Out-Null
        $LASTEXITCODE | Should -Be 0
        foreach ($name in @('step1.pinpack.log', 'step2.pinpack.log', 'setup.pinpack.log')) {
            $bytes = [System.IO.File]::ReadAllBytes((Join-Path $script:Logs $name))
            $bytes[0..2] | Should -Be @(0xEF, 0xBB, 0xBF) -Because $name
            $text = [System.Text.Encoding]::UTF8.GetString($bytes, 3, $bytes.Length - 3)
            $text.Contains([string][char]0xFEFF) | Should -BeFalse -Because "$name has a second BOM in the middle"
        }
        [System.IO.File]::ReadAllText((Join-Path $script:Logs 'setup.pinpack.log')) | Should -Match ([regex]::Escape("Enrollment UPN: $upn"))
    }

    It 'step 2 deletes the staging folder when the enrollment fails, and passes setup''s exit code on' {
        & (Join-Path $script:Package 'setupEPMCopyContentsToTempFolderStep1.ps1') -StagingRoot $script:Staging -LogFolder $script:Logs | Out-Null
        Mock Install-ProvisioningPackage { throw 'enrollment refused (0x80180014)' }
        & (Join-Path $script:Package 'setupEPMCopyContentsToTempFolderStep2.ps1') -StagingRoot $script:Staging -LogFolder $script:Logs -WorkFolder $script:Work | Out-Null
        $LASTEXITCODE | Should -Be 18
        @(Get-ChildItem -LiteralPath $script:Staging -Force) | Should -HaveCount 0
    }

    It 'step 2 runs the setup.ps1 beside itself, never one planted in the staging folder' {
        & (Join-Path $script:Package 'setupEPMCopyContentsToTempFolderStep1.ps1') -StagingRoot $script:Staging -LogFolder $script:Logs | Out-Null
        $run = @(Get-ChildItem -LiteralPath $script:Staging -Directory)[0].FullName
        $marker = Join-Path $script:Temp 'planted.txt'
        Set-Content -LiteralPath (Join-Path $run 'setup.ps1') -Value "Set-Content -LiteralPath '$marker' -Value planted; exit 0"
        & (Join-Path $script:Package 'setupEPMCopyContentsToTempFolderStep2.ps1') -StagingRoot $script:Staging -LogFolder $script:Logs -WorkFolder $script:Work | Out-Null
        $LASTEXITCODE | Should -Be 0
        Test-Path -LiteralPath $marker | Should -BeFalse
    }

    It 'step 2 without a staged package exits 32' {
        & (Join-Path $script:Package 'setupEPMCopyContentsToTempFolderStep2.ps1') -StagingRoot $script:Staging -LogFolder $script:Logs -WorkFolder $script:Work | Out-Null
        $LASTEXITCODE | Should -Be 32
    }

    It 'step 1 on a full disk while it records the identity: exit 31, the half-made copy (PIN file included) deleted' {
        # The run folder is made as usual, but its pinpack-identity.json is the full device /dev/full:
        # the PIN file is already copied in when the write fails.
        Mock New-Item { [void][System.IO.Directory]::CreateDirectory($Path) }
        Mock New-Item -ParameterFilter { $Path -like '*run-*' } -MockWith {
            [void][System.IO.Directory]::CreateDirectory($Path)
            [void][System.IO.File]::CreateSymbolicLink((Join-Path $Path 'pinpack-identity.json'), '/dev/full')
        }
        & (Join-Path $script:Package 'setupEPMCopyContentsToTempFolderStep1.ps1') -StagingRoot $script:Staging -LogFolder $script:Logs | Out-Null
        $LASTEXITCODE | Should -Be 31
        @(Get-ChildItem -LiteralPath $script:Staging -Force) | Should -HaveCount 0
        Get-Content -LiteralPath (Join-Path $script:Logs 'step1.pinpack.log') -Raw | Should -Match 'could not be copied to .*No space left on device'
    }

    It 'step 1 that cannot delete its half-made copy: tries 5 times, exits 35 and names the folder to delete by hand' {
        Mock New-Item { [void][System.IO.Directory]::CreateDirectory($Path) }
        Mock New-Item -ParameterFilter { $Path -like '*run-*' } -MockWith {
            [void][System.IO.Directory]::CreateDirectory($Path)
            [void][System.IO.File]::CreateSymbolicLink((Join-Path $Path 'pinpack-identity.json'), '/dev/full')
        }
        Mock Remove-Item { Remove-PassThrough $LiteralPath }
        Mock Remove-Item -ParameterFilter { (Split-Path -Leaf $LiteralPath) -like 'run-*' } -MockWith {
            throw [System.IO.IOException]::new('The process cannot access the file because it is being used by another process.')
        }
        & (Join-Path $script:Package 'setupEPMCopyContentsToTempFolderStep1.ps1') -StagingRoot $script:Staging -LogFolder $script:Logs | Out-Null
        $LASTEXITCODE | Should -Be 35
        $run = @(Get-ChildItem -LiteralPath $script:Staging -Directory)[0].FullName
        Test-Path -LiteralPath (Join-Path $run 'pinpack-pins.json') | Should -BeTrue -Because 'the copy that stayed behind holds the PIN file, which is why the code says so'
        Should -Invoke Remove-Item -ParameterFilter { (Split-Path -Leaf $LiteralPath) -like 'run-*' } -Times 5 -Exactly
        $log = Get-Content -LiteralPath (Join-Path $script:Logs 'step1.pinpack.log') -Raw
        $log | Should -Match ([regex]::Escape($run) + ' may hold the PIN file and could not be deleted: delete it by hand')
        $log | Should -Match 'finished with exit code 35'
        $log | Should -Not -Match $script:Pin
    }

    It 'step 2 retries a staged folder held for a moment (an antivirus scan), deletes it and exits 0' {
        & (Join-Path $script:Package 'setupEPMCopyContentsToTempFolderStep1.ps1') -StagingRoot $script:Staging -LogFolder $script:Logs | Out-Null
        $global:PinPackLockedDeletes = 2
        Mock Remove-Item { Remove-PassThrough $LiteralPath }
        Mock Remove-Item -ParameterFilter { (Split-Path -Leaf $LiteralPath) -like 'run-*' -and $global:PinPackLockedDeletes -gt 0 } -MockWith {
            $global:PinPackLockedDeletes--
            throw [System.IO.IOException]::new('The process cannot access the file because it is being used by another process.')
        }
        try {
            & (Join-Path $script:Package 'setupEPMCopyContentsToTempFolderStep2.ps1') -StagingRoot $script:Staging -LogFolder $script:Logs -WorkFolder $script:Work | Out-Null
            $LASTEXITCODE | Should -Be 0
            $global:PinPackLockedDeletes | Should -Be 0
        }
        finally {
            Remove-Variable -Name PinPackLockedDeletes -Scope Global
        }
        @(Get-ChildItem -LiteralPath $script:Staging -Force) | Should -HaveCount 0
        Should -Invoke Install-ProvisioningPackage -Times 1 -Exactly
    }

    It 'step 2 with a staged folder held for good: enrolled, exit 33, the log names the folder to delete by hand' {
        & (Join-Path $script:Package 'setupEPMCopyContentsToTempFolderStep1.ps1') -StagingRoot $script:Staging -LogFolder $script:Logs | Out-Null
        $run = @(Get-ChildItem -LiteralPath $script:Staging -Directory)[0].FullName
        Mock Remove-Item { Remove-PassThrough $LiteralPath }
        Mock Remove-Item -ParameterFilter { (Split-Path -Leaf $LiteralPath) -like 'run-*' } -MockWith {
            throw [System.IO.IOException]::new('The process cannot access the file because it is being used by another process.')
        }
        & (Join-Path $script:Package 'setupEPMCopyContentsToTempFolderStep2.ps1') -StagingRoot $script:Staging -LogFolder $script:Logs -WorkFolder $script:Work | Out-Null
        $LASTEXITCODE | Should -Be 33
        Should -Invoke Install-ProvisioningPackage -Times 1 -Exactly
        $log = Get-Content -LiteralPath (Join-Path $script:Logs 'step2.pinpack.log') -Raw
        $log | Should -Match ('Could not delete ' + [regex]::Escape($run) + ': .*delete it by hand')
        $log | Should -Match 'finished with exit code 33'
        $log | Should -Not -Match $script:Pin
    }

    It 'step 1 restricts the staging folder to SYSTEM, the Administrators and the user (by SID) before the PIN file is copied in' {
        & (Join-Path $script:Package 'setupEPMCopyContentsToTempFolderStep1.ps1') -StagingRoot $script:Staging -LogFolder $script:Logs | Out-Null
        $LASTEXITCODE | Should -Be 0
        $run = @(Get-ChildItem -LiteralPath $script:Staging -Directory)[0].FullName
        $global:PinPackIcacls | Should -HaveCount 1
        $call = $global:PinPackIcacls[0]
        $call.PinFileThere | Should -BeFalse -Because 'the folder is protected while it is still empty'
        $call.Arguments[0] | Should -Be $run
        @($call.Arguments[1..($call.Arguments.Count - 1)]) | Should -Be @('/inheritance:r', '/grant:r', '*S-1-5-18:(OI)(CI)F', '*S-1-5-32-544:(OI)(CI)F', '*S-1-5-21-1004336348-1177238915-682003330-1105:(OI)(CI)F')
        Test-Path -LiteralPath (Join-Path $run 'pinpack-pins.json') | Should -BeTrue
    }

    It 'step 1 exits 34 and leaves nothing staged when icacls cannot restrict the folder' {
        Mock icacls.exe { $global:LASTEXITCODE = 5; 'Access is denied.' }
        & (Join-Path $script:Package 'setupEPMCopyContentsToTempFolderStep1.ps1') -StagingRoot $script:Staging -LogFolder $script:Logs | Out-Null
        $LASTEXITCODE | Should -Be 34
        @(Get-ChildItem -LiteralPath $script:Staging -Force) | Should -HaveCount 0
        Get-Content -LiteralPath (Join-Path $script:Logs 'step1.pinpack.log') -Raw | Should -Match 'icacls exit code 5: Access is denied'
    }

    It 'step 1 exits 34 and leaves nothing staged when the user''s SID cannot be read' {
        Mock whoami.exe { if ($args -contains '/user') { $global:LASTEXITCODE = 1; 'ERROR: no SID' } else { $global:LASTEXITCODE = 0; 'dana@contoso.com' } }
        & (Join-Path $script:Package 'setupEPMCopyContentsToTempFolderStep1.ps1') -StagingRoot $script:Staging -LogFolder $script:Logs | Out-Null
        $LASTEXITCODE | Should -Be 34
        @(Get-ChildItem -LiteralPath $script:Staging -Force) | Should -HaveCount 0
        Should -Invoke icacls.exe -Times 0 -Exactly
    }

    It 'step 1 exits 30 and stages nothing when the user has no UPN' {
        Mock whoami.exe { $global:LASTEXITCODE = 1; 'ERROR: no UPN' }
        & (Join-Path $script:Package 'setupEPMCopyContentsToTempFolderStep1.ps1') -StagingRoot $script:Staging -LogFolder $script:Logs | Out-Null
        $LASTEXITCODE | Should -Be 30
        Test-Path -LiteralPath $script:Staging | Should -BeFalse
    }
}

Describe 'EPM case 3b: UAC off, then restored exactly' {
    BeforeAll {
        $script:PolicyKey = 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System'
    }

    BeforeEach {
        $script:Temp = Join-Path ([System.IO.Path]::GetTempPath()) ('pinpack-uac-' + [guid]::NewGuid().ToString('N'))
        $script:State = Join-Path $script:Temp 'state/uac-saved.json'
        $script:Logs = Join-Path $script:Temp 'logs'
        # The registry key, held in a global table that the mocks read and write.
        $global:PinPackTestRegistry = @{ EnableLUA = 1; ConsentPromptBehaviorAdmin = 2 }
        Mock Get-ItemProperty -ParameterFilter { $LiteralPath -eq 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System' } -MockWith {
            [pscustomobject]$global:PinPackTestRegistry
        }
        Mock New-ItemProperty -ParameterFilter { $LiteralPath -eq 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System' } -MockWith {
            $global:PinPackTestRegistry[$Name] = $Value
        }
        Mock Remove-ItemProperty -ParameterFilter { $LiteralPath -eq 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System' } -MockWith {
            foreach ($n in $Name) { $global:PinPackTestRegistry.Remove($n) }
        }
        Mock shutdown.exe { $global:LASTEXITCODE = 0 }
        $script:Disable = Join-Path $script:Templates 'epm/Disable-PinPackUac.ps1'
        $script:Restore = Join-Path $script:Templates 'epm/Restore-PinPackUac.ps1'
    }

    AfterEach {
        Remove-Item -LiteralPath $script:Temp -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'restores the saved non-default values exactly (<Lua>, <Consent>), and reboots twice' -ForEach @(
        @{ Lua = 1; Consent = 2 }
        @{ Lua = 1; Consent = 0 }
        @{ Lua = 0; Consent = 5 }
    ) {
        $global:PinPackTestRegistry = @{ EnableLUA = $Lua; ConsentPromptBehaviorAdmin = $Consent }
        & $script:Disable -StateFile $script:State -LogFolder $script:Logs | Out-Null
        $LASTEXITCODE | Should -Be 0
        $global:PinPackTestRegistry.EnableLUA | Should -Be 0
        $global:PinPackTestRegistry.ConsentPromptBehaviorAdmin | Should -Be 0
        Should -Invoke shutdown.exe -Times 1 -Exactly -ParameterFilter { $args -contains '/r' }

        & $script:Restore -StateFile $script:State -LogFolder $script:Logs | Out-Null
        $LASTEXITCODE | Should -Be 0
        $global:PinPackTestRegistry.EnableLUA | Should -Be $Lua
        $global:PinPackTestRegistry.ConsentPromptBehaviorAdmin | Should -Be $Consent
        Test-Path -LiteralPath $script:State | Should -BeFalse
        Should -Invoke shutdown.exe -Times 2 -Exactly
        Get-Content -LiteralPath (Join-Path $script:Logs 'uac.pinpack.log') -Raw | Should -Match 'WARNING: turning UAC off'
    }

    It 'writes uac.pinpack.log as UTF-8 with one BOM across the disable and restore runs' {
        & $script:Disable -StateFile $script:State -LogFolder $script:Logs | Out-Null
        & $script:Restore -StateFile $script:State -LogFolder $script:Logs | Out-Null
        $bytes = [System.IO.File]::ReadAllBytes((Join-Path $script:Logs 'uac.pinpack.log'))
        $bytes[0..2] | Should -Be @(0xEF, 0xBB, 0xBF)
        [System.Text.Encoding]::UTF8.GetString($bytes, 3, $bytes.Length - 3).Contains([string][char]0xFEFF) | Should -BeFalse
    }

    It 'removes a value on restore that was absent before' {
        $global:PinPackTestRegistry = @{ EnableLUA = 1 }
        & $script:Disable -StateFile $script:State -LogFolder $script:Logs | Out-Null
        & $script:Restore -StateFile $script:State -LogFolder $script:Logs | Out-Null
        $LASTEXITCODE | Should -Be 0
        $global:PinPackTestRegistry.ContainsKey('ConsentPromptBehaviorAdmin') | Should -BeFalse
        $global:PinPackTestRegistry.EnableLUA | Should -Be 1
    }

    It 'keeps the first saved values when the disable task runs twice' {
        & $script:Disable -StateFile $script:State -LogFolder $script:Logs | Out-Null
        & $script:Disable -StateFile $script:State -LogFolder $script:Logs | Out-Null
        & $script:Restore -StateFile $script:State -LogFolder $script:Logs | Out-Null
        $global:PinPackTestRegistry.EnableLUA | Should -Be 1
        $global:PinPackTestRegistry.ConsentPromptBehaviorAdmin | Should -Be 2
    }

    It 'changes nothing and exits 20 when there are no saved values to restore' {
        $global:PinPackTestRegistry = @{ EnableLUA = 0; ConsentPromptBehaviorAdmin = 0 }
        & $script:Restore -StateFile $script:State -LogFolder $script:Logs | Out-Null
        $LASTEXITCODE | Should -Be 20
        $global:PinPackTestRegistry.EnableLUA | Should -Be 0
        Should -Invoke New-ItemProperty -Times 0 -Exactly
        Should -Invoke shutdown.exe -Times 0 -Exactly
    }

    It 'exits 22 when the reboot cannot be scheduled' {
        Mock shutdown.exe { $global:LASTEXITCODE = 1190 }
        & $script:Disable -StateFile $script:State -LogFolder $script:Logs | Out-Null
        $LASTEXITCODE | Should -Be 22
    }
}

Describe 'SCCM: New-PinPackSccmObjects.ps1' {
    BeforeAll {
        # Stand-ins with the parameters the helper passes, so that the mocks can filter on them.
        function global:New-CMPackage { param([string] $Name, [string] $Path, [string] $Description) throw 'not mocked' }
        function global:New-CMProgram {
            param([string] $PackageName, [string] $StandardProgramName, [string] $CommandLine, [string] $RunType, [string] $RunMode, [string] $ProgramRunType, [int] $Duration)
            throw 'not mocked'
        }
        function global:Start-CMContentDistribution { param([string] $PackageName, [string[]] $DistributionPointName, [string[]] $DistributionPointGroupName) throw 'not mocked' }
        function global:New-CMScript { param([string] $ScriptName, [string] $ScriptText, [switch] $Fast) throw 'not mocked' }
        $script:Helper = Join-Path $script:Templates 'sccm/New-PinPackSccmObjects.ps1'
    }

    BeforeEach {
        Mock New-CMPackage { [pscustomobject]@{ PackageID = 'PS100001' } }
        Mock New-CMProgram { }
        Mock Start-CMContentDistribution { }
        Mock New-CMScript { }
        Mock Push-Location { }
        Mock Pop-Location { }
    }

    It 'creates the package, a hidden admin program run whether or not a user is logged on, the distribution and the Run Script' {
        & $script:Helper -SiteCode PS1 -SourcePath '\\cm01\sources\PinPack' -PackageName 'Sales' -DistributionPointGroupName 'All DPs' | Out-Null
        $LASTEXITCODE | Should -Be 0
        Should -Invoke Push-Location -Times 1 -ParameterFilter { $Path -eq 'PS1:' }
        Should -Invoke New-CMPackage -Times 1 -Exactly -ParameterFilter { $Name -eq 'Sales' -and $Path -eq '\\cm01\sources\PinPack' }
        Should -Invoke New-CMProgram -Times 1 -Exactly -ParameterFilter {
            $RunType -eq 'Hidden' -and $RunMode -eq 'RunWithAdministrativeRights' -and $ProgramRunType -eq 'WhetherOrNotUserIsLoggedOn' -and
            $CommandLine -eq 'pinpack-copy.bat "C:\ProgramData\PinPack\Package"'
        }
        Should -Invoke Start-CMContentDistribution -Times 1 -Exactly -ParameterFilter { $DistributionPointGroupName -contains 'All DPs' }
        Should -Invoke New-CMScript -Times 1 -Exactly -ParameterFilter { $ScriptText -match "setup = 'C:\\ProgramData\\PinPack\\Package\\setup\.ps1'" }
    }

    It 'creates nothing with -WhatIf' {
        & $script:Helper -SiteCode PS1 -SourcePath '\\cm01\sources\PinPack' -DistributionPointName 'dp01' -WhatIf | Out-Null
        $LASTEXITCODE | Should -Be 0
        Should -Invoke New-CMPackage -Times 0 -Exactly
        Should -Invoke New-CMProgram -Times 0 -Exactly
        Should -Invoke Start-CMContentDistribution -Times 0 -Exactly
        Should -Invoke New-CMScript -Times 0 -Exactly
    }

    It 'refuses a destination with a single quote, which a Run Script cannot carry, and creates nothing' {
        & $script:Helper -SiteCode PS1 -SourcePath '\\cm01\sources\PinPack' -Destination "C:\O'Brien" 2>$null | Out-Null
        $LASTEXITCODE | Should -Be 1
        Should -Invoke New-CMPackage -Times 0 -Exactly
    }

    It 'exits 1 and stops at the step that failed' {
        Mock New-CMProgram { throw 'the program name is taken' }
        & $script:Helper -SiteCode PS1 -SourcePath '\\cm01\sources\PinPack' 2>$null | Out-Null
        $LASTEXITCODE | Should -Be 1
        Should -Invoke New-CMScript -Times 0 -Exactly
    }
}
