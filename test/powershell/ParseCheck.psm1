<#
.SYNOPSIS
The parse check the Pester suite applies to every PowerShell file in the repository, with the
real PowerShell parser ([System.Management.Automation.Language.Parser]).
#>
Set-StrictMode -Version Latest

function Get-PinPackParseError {
    <#
    .SYNOPSIS
    Returns the parse errors of a file (-Path) or of a text (-Text), formatted as "line:col message".
    #>
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    [OutputType([string])]
    param(
        [Parameter(Mandatory, ParameterSetName = 'Path')][string] $Path,
        [Parameter(Mandatory, ParameterSetName = 'Text')][AllowEmptyString()][string] $Text
    )
    $tokens = $null
    $errors = $null
    if ($PSCmdlet.ParameterSetName -eq 'Path') {
        [void][System.Management.Automation.Language.Parser]::ParseFile($Path, [ref]$tokens, [ref]$errors)
    }
    else {
        [void][System.Management.Automation.Language.Parser]::ParseInput($Text, [ref]$tokens, [ref]$errors)
    }
    foreach ($parseError in $errors) {
        '{0}:{1} {2}' -f $parseError.Extent.StartLineNumber, $parseError.Extent.StartColumnNumber, $parseError.Message
    }
}

function Get-PinPackPowerShellFile {
    <#
    .SYNOPSIS
    Every .ps1, .psm1 and .psd1 file under the given folders, skipping dependencies and build output.
    #>
    [CmdletBinding()]
    [OutputType([System.IO.FileInfo])]
    param([Parameter(Mandatory)][string[]] $Folder)
    Get-ChildItem -LiteralPath $Folder -Recurse -File -Include '*.ps1', '*.psm1', '*.psd1' |
        Where-Object { $_.FullName -notmatch '[\\/](node_modules|out|dist|\.vscode-test)[\\/]' }
}

Export-ModuleMember -Function Get-PinPackParseError, Get-PinPackPowerShellFile
