BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'ParseCheck.psm1') -Force
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path
    $scripts = @(Get-PinPackPowerShellFile -Folder (Join-Path $repoRoot 'src'), (Join-Path $repoRoot 'test') |
            ForEach-Object { @{ Path = $_.FullName; Name = [System.IO.Path]::GetRelativePath($repoRoot, $_.FullName) } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'ParseCheck.psm1') -Force
}

Describe 'Every PowerShell file under src/ and test/' {
    It 'is found: <Count> files (the check never passes on an empty list)' -ForEach @{ Count = $scripts.Count } {
        $Count | Should -BeGreaterThan 2
    }

    It '<Name> parses without errors' -ForEach $scripts {
        Get-PinPackParseError -Path $Path | Should -BeNullOrEmpty
    }
}

Describe 'The parse check itself' {
    It 'reports an unclosed block in a broken snippet, with its position' {
        $errors = @(Get-PinPackParseError -Text "function Test-Broken {`n    if (`$true) {`n        'open'`n}")
        $errors.Count | Should -BeGreaterThan 0
        $errors[0] | Should -Match '^\d+:\d+ Missing closing'
    }

    It 'reports a missing expression after an operator' {
        Get-PinPackParseError -Text '$x = 1 +' | Should -Match 'expression'
    }

    It 'finds no error in valid script' {
        Get-PinPackParseError -Text 'param([string]$Name) "Hello, $Name"' | Should -BeNullOrEmpty
    }
}
