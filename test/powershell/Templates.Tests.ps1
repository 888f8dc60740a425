BeforeDiscovery {
    $templates = Join-Path $PSScriptRoot '../../src/core/templates'
    $scripts = @(Get-ChildItem -LiteralPath $templates -Recurse -File -Filter '*.ps1' |
            ForEach-Object { @{ Path = $_.FullName; Name = $_.Name } })
}

Describe 'The PowerShell templates PinPack scaffolds' {
    It 'are found (<Count>), so the checks below never pass on an empty list' -ForEach @{ Count = $scripts.Count } {
        $Count | Should -BeGreaterOrEqual 6
    }

    It '<Name> uses no syntax that Windows PowerShell 5.1 cannot parse (??, ?., ternary, && and ||)' -ForEach $scripts {
        $tokens = $null
        $errors = $null
        [void][System.Management.Automation.Language.Parser]::ParseFile($Path, [ref]$tokens, [ref]$errors)
        $errors | Should -BeNullOrEmpty
        $ps7Only = 'QuestionQuestion', 'QuestionQuestionEquals', 'QuestionDot', 'QuestionLBracket', 'QuestionMark', 'AndAnd', 'OrOr'
        @($tokens | Where-Object { $ps7Only -contains [string]$_.Kind } | ForEach-Object { '{0}:{1} {2}' -f $_.Extent.StartLineNumber, $_.Extent.StartColumnNumber, $_.Text }) |
            Should -BeNullOrEmpty
    }

    It '<Name> is ASCII or UTF-8 with BOM (Windows PowerShell 5.1 reads other files as ANSI)' -ForEach $scripts {
        $bytes = [System.IO.File]::ReadAllBytes($Path)
        $hasBom = $bytes.Length -ge 3 -and $bytes[0] -eq 0xEF -and $bytes[1] -eq 0xBB -and $bytes[2] -eq 0xBF
        $hasBom -or -not ($bytes | Where-Object { $_ -gt 0x7F }) | Should -BeTrue
    }

    It '<Name> sets $ErrorActionPreference to Stop and documents its exit codes' -ForEach $scripts {
        $text = Get-Content -LiteralPath $Path -Raw
        $text | Should -Match "(?m)^\`$ErrorActionPreference = 'Stop'"
        $text | Should -Match '(?s)\.NOTES\s+Exit codes:'
    }
}
