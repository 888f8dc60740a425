BeforeAll {
    . (Join-Path $PSScriptRoot 'WindowsStubs.ps1')
    $script:Setup = Join-Path $PSScriptRoot '../../src/core/templates/common/setup.ps1'
    $script:Pin = '739154'
    $script:OtherPin = '204861'

    function New-TestPackage {
        param(
            [string] $Mode = 'device',
            [AllowNull()][string] $AdDomain = 'contoso.com',
            [object[]] $Pins = @(),
            [string] $RecordedUpn,
            [switch] $NoPinFile,
            [switch] $NoSettings,
            [string] $PackageName = 'PinPack <Sales & Co>'
        )
        $root = Join-Path $script:Temp 'package'
        New-Item -ItemType Directory -Path $root -Force | Out-Null
        if (-not $NoSettings) {
            $settings = [ordered]@{
                schemaVersion = 1; packageName = $PackageName; target = 'epm-case1'; upnMode = $Mode
                adDomain = $AdDomain; discoveryUrl = 'https://login.mobileiron.com'
                destination = 'C:\ProgramData\PinPack\Package'; logFolder = 'C:\ProgramData\PinPack\Logs'
            }
            $settings | ConvertTo-Json | Set-Content -LiteralPath (Join-Path $root 'pinpack-settings.json') -Encoding utf8
        }
        if (-not $NoPinFile) {
            @{ schemaVersion = 1; pins = @($Pins) } | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath (Join-Path $root 'pinpack-pins.json') -Encoding utf8
        }
        if ($RecordedUpn) {
            @{ upn = $RecordedUpn } | ConvertTo-Json | Set-Content -LiteralPath (Join-Path $root 'pinpack-identity.json') -Encoding utf8
        }
        return $root
    }

    function New-PinEntry {
        param([string] $Upn, [string] $Pin = $script:Pin, [int] $HoursLeft = 12)
        @{ upn = $Upn; pin = $Pin; expiresAt = [DateTime]::UtcNow.AddHours($HoursLeft).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'") }
    }

    function Invoke-Setup {
        param([string] $Root)
        $output = & $script:Setup -PackageRoot $Root -LogFolder $script:Logs -WorkFolder $script:Work
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output -join "`n") }
    }

    function Get-SetupLog {
        $path = Join-Path $script:Logs 'setup.pinpack.log'
        if (Test-Path -LiteralPath $path) { [System.IO.File]::ReadAllText($path) } else { '' }
    }
}

AfterAll {
    Remove-WindowsStub
}

Describe 'setup.ps1' {
    BeforeEach {
        $script:Sandbox = Enter-DeviceSandbox -Prefix 'pinpack-setup-' -CaptureName 'captured.xml'
        $script:Temp, $script:Logs, $script:Work, $script:Kits = $script:Sandbox.Temp, $script:Sandbox.Logs, $script:Sandbox.Work, $script:Sandbox.Kits
        $script:Captured = $env:PINPACK_FAKE_ICD_CAPTURE
    }

    AfterEach {
        Exit-DeviceSandbox $script:Sandbox
    }

    Describe 'setup.ps1 enrolls with the UPN of each mode' {
        It 'device mode: COMPUTERNAME@adDomain, XML escaped, package installed quietly' {
            $root = New-TestPackage -Mode device -Pins @((New-PinEntry 'pc01@contoso.com'), (New-PinEntry 'other@contoso.com' -Pin $script:OtherPin))
            $result = Invoke-Setup $root
            $result.ExitCode | Should -Be 0
            $result.Output | Should -Match 'PC01@contoso.com enrolled'
            Should -Invoke Install-ProvisioningPackage -Times 1 -Exactly -ParameterFilter {
                $QuietInstall -and $ForceInstall -and $PackagePath -like '*PinPack.ppkg' -and $LogsDirectoryPath -eq (Join-Path $script:Logs 'Provisioning')
            }
            $xml = [xml](Get-Content -LiteralPath $script:Captured -Raw)
            $xml.WindowsCustomizations.PackageConfig.Name | Should -Be 'PinPack <Sales & Co>'
            $upn = $xml.WindowsCustomizations.Settings.Customizations.Common.Workplace.Enrollments.UPN
            $upn.UPN | Should -Be 'PC01@contoso.com'
            $upn.Secret | Should -Be $script:Pin
            $upn.AuthPolicy | Should -Be 'OnPremise'
            $upn.DiscoveryServiceFullUrl | Should -Be 'https://login.mobileiron.com'
            Get-Content -LiteralPath $env:PINPACK_FAKE_ICD_ARGS -Raw | Should -Match '^/Build-ProvisioningPackage /CustomizationXML:.+customizations\.xml /PackagePath:.+PinPack\.ppkg \+Overwrite'
        }

        It 'user mode as the user: whoami /upn' {
            $root = New-TestPackage -Mode user -Pins @(New-PinEntry 'alice@contoso.com')
            (Invoke-Setup $root).ExitCode | Should -Be 0
            Should -Invoke whoami.exe -Times 1 -Exactly -ParameterFilter { $args -contains '/upn' }
        }

        It 'user mode as the user without a UPN from whoami: the directory gives it' {
            Mock whoami.exe { $global:LASTEXITCODE = 1; 'ERROR: unable to get the UPN' }
            Mock New-Object -ParameterFilter { $TypeName -eq 'System.DirectoryServices.DirectorySearcher' } -MockWith {
                $searcher = [pscustomobject]@{ Filter = $ArgumentList }
                $searcher | Add-Member -MemberType ScriptMethod -Name FindOne -Value { [pscustomobject]@{ Properties = @{ mail = @('alice.mail@contoso.com') } } }
                $searcher
            }
            $root = New-TestPackage -Mode user -Pins @(New-PinEntry 'alice.mail@contoso.com')
            (Invoke-Setup $root).ExitCode | Should -Be 0
        }

        It 'user mode as SYSTEM: the console user, looked up in the directory' {
            $env:USERNAME = 'PC01$'
            Mock Get-CimInstance { [pscustomobject]@{ UserName = 'CONTOSO\bob' } }
            Mock New-Object -ParameterFilter { $TypeName -eq 'System.DirectoryServices.DirectorySearcher' } -MockWith {
                $searcher = [pscustomobject]@{ Filter = $ArgumentList }
                $searcher | Add-Member -MemberType ScriptMethod -Name FindOne -Value {
                    if ($this.Filter -notmatch 'sAMAccountName=bob\)') { return $null }
                    [pscustomobject]@{ Properties = @{ userprincipalname = @('bob@contoso.com') } }
                }
                $searcher
            }
            $root = New-TestPackage -Mode user -Pins @(New-PinEntry 'Bob@Contoso.com')
            (Invoke-Setup $root).ExitCode | Should -Be 0
            Should -Invoke whoami.exe -Times 0 -Exactly -ParameterFilter { $args -contains '/upn' }
        }

        It 'recorded-user mode: the identity step 1 recorded' {
            $root = New-TestPackage -Mode recorded-user -RecordedUpn 'carol@contoso.com' -Pins @(New-PinEntry 'carol@contoso.com')
            (Invoke-Setup $root).ExitCode | Should -Be 0
            (Get-Content -LiteralPath $script:Captured -Raw) | Should -Match 'UPN="carol@contoso.com"'
        }

        It 'finds ICD.exe in the Store app when the Windows Kits root has none' {
            $env:PINPACK_TEST_KITS = Join-Path $script:Kits 'Assessment and Deployment Kit/Imaging and Configuration Designer/x86'
            Mock Get-ItemProperty -ParameterFilter { $LiteralPath -eq 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows Kits\Installed Roots' } -MockWith { throw 'no such key' }
            Mock Get-AppxPackage { [pscustomobject]@{ InstallLocation = $env:PINPACK_TEST_KITS } }
            $root = New-TestPackage -Mode device -Pins @(New-PinEntry 'pc01@contoso.com')
            (Invoke-Setup $root).ExitCode | Should -Be 0
            Should -Invoke Get-AppxPackage -Times 1 -ParameterFilter { $AllUsers }
        }

        It 'carries a Japanese package name and user name intact into the XML and the UTF-8 log' {
            # Built from code points so that this file stays ASCII.
            $name = -join [char[]](0x55B6, 0x696D, 0x90E8)
            $user = (-join [char[]](0x5C71, 0x7530)) + '@contoso.co.jp'
            $root = New-TestPackage -Mode recorded-user -RecordedUpn $user -PackageName $name -Pins @(New-PinEntry $user)
            (Invoke-Setup $root).ExitCode | Should -Be 0
            $xml = [xml][System.IO.File]::ReadAllText($script:Captured)
            $xml.WindowsCustomizations.PackageConfig.Name | Should -Be $name
            $xml.WindowsCustomizations.Settings.Customizations.Common.Workplace.Enrollments.UPN.UPN | Should -Be $user
            Get-SetupLog | Should -Match ([regex]::Escape("Enrollment UPN: $user"))
        }

        It 'goes on with a warning when the elevation cannot be read' {
            Mock whoami.exe { if ($args -contains '/groups') { throw 'whoami is not available' } else { 'alice@contoso.com' } }
            $root = New-TestPackage -Mode device -Pins @(New-PinEntry 'pc01@contoso.com')
            (Invoke-Setup $root).ExitCode | Should -Be 0
            Get-SetupLog | Should -Match 'WARN The elevation could not be determined'
        }

        It 'exits 0 without building when the package is already installed, and still deletes the PIN file' {
            Mock Get-ProvisioningPackage { [pscustomobject]@{ PackageName = 'PinPack <Sales & Co>'; PackageId = 'x' } }
            $root = New-TestPackage -Mode device -Pins @(New-PinEntry 'pc01@contoso.com')
            $result = Invoke-Setup $root
            $result.ExitCode | Should -Be 0
            $result.Output | Should -Match 'already installed'
            Should -Invoke Install-ProvisioningPackage -Times 0 -Exactly
            Test-Path -LiteralPath (Join-Path $root 'pinpack-pins.json') | Should -BeFalse
        }
    }

    Describe 'setup.ps1 on every failure path' {
        It '<Name> exits <Code>, deletes every file holding the PIN and logs no PIN' -ForEach @(
            @{ Name = 'a process that is not elevated'; Code = 9; Arrange = {
                    Mock whoami.exe { 'Mandatory Label\Medium Mandatory Level  Label  S-1-16-8192' }
                    New-TestPackage -Mode device -Pins @(New-PinEntry 'pc01@contoso.com')
                }
            }
            @{ Name = 'settings file missing'; Code = 10; Arrange = { New-TestPackage -NoSettings -Pins @(New-PinEntry 'pc01@contoso.com') } }
            @{ Name = 'PIN file missing'; Code = 11; Arrange = { New-TestPackage -NoPinFile } }
            @{ Name = 'PIN file that is not JSON'; Code = 11; Arrange = {
                    $root = New-TestPackage -NoPinFile
                    Set-Content -LiteralPath (Join-Path $root 'pinpack-pins.json') -Value ('{ "pins": [ { "upn": "pc01@contoso.com", "pin": "' + $script:Pin + '"')
                    $root
                }
            }
            @{ Name = 'a PIN expiry that is not a date'; Code = 11; Arrange = {
                    $entry = New-PinEntry 'pc01@contoso.com'
                    $entry.expiresAt = 'tomorrow'
                    New-TestPackage -Mode device -Pins @($entry)
                }
            }
            @{ Name = 'device mode without AD domain'; Code = 12; Arrange = { New-TestPackage -AdDomain $null -Pins @(New-PinEntry 'pc01@contoso.com') } }
            @{ Name = 'no recorded identity'; Code = 12; Arrange = { New-TestPackage -Mode recorded-user -Pins @(New-PinEntry 'carol@contoso.com') } }
            @{ Name = 'SYSTEM with nobody at the console'; Code = 12; Arrange = {
                    $env:USERNAME = 'PC01$'
                    Mock Get-CimInstance { [pscustomobject]@{ UserName = $null } }
                    New-TestPackage -Mode user -Pins @(New-PinEntry 'alice@contoso.com')
                }
            }
            @{ Name = 'an ASCII space in the UPN'; Code = 13; Arrange = { New-TestPackage -Mode recorded-user -RecordedUpn 'taro yamada@contoso.com' -Pins @(New-PinEntry 'taro yamada@contoso.com') } }
            @{ Name = 'an ideographic space (U+3000) in the UPN'; Code = 13; Arrange = { $u = "taro$([char]0x3000)yamada@contoso.com"; New-TestPackage -Mode recorded-user -RecordedUpn $u -Pins @(New-PinEntry $u) } }
            @{ Name = 'a no-break space (U+00A0) in the UPN'; Code = 13; Arrange = { $u = "taro$([char]0xA0)yamada@contoso.com"; New-TestPackage -Mode recorded-user -RecordedUpn $u -Pins @(New-PinEntry $u) } }
            @{ Name = 'a thin space (U+2009) in the UPN'; Code = 13; Arrange = { $u = "taro$([char]0x2009)yamada@contoso.com"; New-TestPackage -Mode recorded-user -RecordedUpn $u -Pins @(New-PinEntry $u) } }
            @{ Name = 'a full-width at sign (U+FF20) in the UPN'; Code = 13; Arrange = { $u = "taro$([char]0xFF20)contoso.com"; New-TestPackage -Mode recorded-user -RecordedUpn $u -Pins @(New-PinEntry $u) } }
            @{ Name = 'no PIN for this UPN'; Code = 14; Arrange = { New-TestPackage -Mode device -Pins @(New-PinEntry 'someone@contoso.com') } }
            @{ Name = 'an expired PIN'; Code = 15; Arrange = { New-TestPackage -Mode device -Pins @(New-PinEntry 'pc01@contoso.com' -HoursLeft -1) } }
            @{ Name = 'ICD.exe missing'; Code = 16; Arrange = {
                    $env:PINPACK_TEST_KITS = Join-Path $script:Temp 'nowhere'
                    New-TestPackage -Mode device -Pins @(New-PinEntry 'pc01@contoso.com')
                }
            }
            @{ Name = 'ICD.exe failing'; Code = 17; Arrange = { $env:PINPACK_FAKE_ICD_MODE = 'fail'; New-TestPackage -Mode device -Pins @(New-PinEntry 'pc01@contoso.com') } }
            @{ Name = 'Install-ProvisioningPackage failing'; Code = 18; Arrange = {
                    Mock Install-ProvisioningPackage { throw 'The provisioning package could not be applied (0x80180014)' }
                    New-TestPackage -Mode device -Pins @(New-PinEntry 'pc01@contoso.com')
                }
            }
        ) {
            $root = & $Arrange
            $result = Invoke-Setup $root
            $result.ExitCode | Should -Be $Code
            $result.Output | Should -Match "^PinPack setup: exit $Code"
            Test-Path -LiteralPath (Join-Path $root 'pinpack-pins.json') | Should -BeFalse
            @(Get-ChildItem -LiteralPath $script:Work -Force) | Should -HaveCount 0
            $log = Get-SetupLog
            $log | Should -Match "Failed with exit code $Code"
            $log | Should -Not -Match $script:Pin
            $result.Output | Should -Not -Match $script:Pin
        }
    }

    Describe 'setup.ps1 naming what is wrong with a UPN' {
        It 'logs "<Expected>" for <Name>' -ForEach @(
            @{ Name = 'an ideographic space (U+3000)'; Upn = "taro$([char]0x3000)yamada@contoso.com"; Expected = 'contains a space' }
            @{ Name = 'a no-break space (U+00A0)'; Upn = "taro$([char]0xA0)yamada@contoso.com"; Expected = 'contains a space' }
            @{ Name = 'a full-width at sign (U+FF20)'; Upn = "taro$([char]0xFF20)contoso.com"; Expected = 'contains a full-width at sign: it must be the ASCII @' }
        ) {
            $root = New-TestPackage -Mode recorded-user -RecordedUpn $Upn -Pins @(New-PinEntry $Upn)
            $result = Invoke-Setup $root
            $result.ExitCode | Should -Be 13
            Get-SetupLog | Should -Match ([regex]::Escape($Expected))
        }
    }

    Describe 'setup.ps1 after a successful run' {
        It 'leaves no PIN file, XML or ppkg, and writes a UTF-8 log with BOM and masked PINs' {
            $root = New-TestPackage -Mode device -Pins @(New-PinEntry 'pc01@contoso.com')
            (Invoke-Setup $root).ExitCode | Should -Be 0
            Test-Path -LiteralPath (Join-Path $root 'pinpack-pins.json') | Should -BeFalse
            Test-Path -LiteralPath (Join-Path $root 'pinpack-settings.json') | Should -BeTrue
            @(Get-ChildItem -LiteralPath $script:Work -Force) | Should -HaveCount 0
            $bytes = [System.IO.File]::ReadAllBytes((Join-Path $script:Logs 'setup.pinpack.log'))
            $bytes[0..2] | Should -Be @(0xEF, 0xBB, 0xBF)
            $log = Get-SetupLog
            $log | Should -Match '(?m)^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ INFO PinPack setup started'
            $log | Should -Match 'Deleted .*pinpack-pins\.json'
            $log | Should -Not -Match $script:Pin
        }

        It 'masks a PIN that ICD.exe echoes in its output' {
            $root = New-TestPackage -Mode device -Pins @(New-PinEntry 'pc01@contoso.com')
            $env:PINPACK_FAKE_ICD_MODE = 'fail'
            (Invoke-Setup $root).ExitCode | Should -Be 17
            $log = Get-SetupLog
            $log | Should -Match 'ICD: ICD error'
            $log | Should -Match 'ICD: .*<Secret>\*{6}</Secret>'
            $log | Should -Not -Match $script:Pin
        }
    }
}
