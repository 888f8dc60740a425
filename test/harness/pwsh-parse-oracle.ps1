<#
.SYNOPSIS
The real PowerShell parser as a long-lived oracle for PinPack's linter tests and benchmark.

.DESCRIPTION
Reads one request per line on stdin and writes one JSON line per request on stdout.
  P <base64 UTF-8 script>  parse it: {"t":[[kind,flags,start,end],...],"e":[[start,end,"ErrorId"],...]}
                           (top-level tokens; offsets are UTF-16 code units, as in JavaScript)
  E <base64 UTF-8 script>  the same with the errors only: {"t":[],"e":[...]}
  B <count> <base64>...    parse each script <count> times, untimed once first as warm-up, and
                           answer {"ms":<elapsed>,"cpuMs":<process CPU time>} of the timed loops, in ms
Binary protocol-free JSON is built by hand: ConvertTo-Json would dominate the oracle's time.
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$stdin = [System.Console]::In
$stdout = [System.Console]::Out
$utf8 = [System.Text.UTF8Encoding]::new($false)
while ($null -ne ($line = $stdin.ReadLine())) {
    if ($line.StartsWith('B ')) {
        $parts = $line.Split(' ')
        $count = [int]$parts[1]
        $texts = @($parts | Select-Object -Skip 2 | ForEach-Object { $utf8.GetString([System.Convert]::FromBase64String($_)) })
        $tokens = $null
        $errors = $null
        foreach ($text in $texts) {
            [void][System.Management.Automation.Language.Parser]::ParseInput($text, [ref]$tokens, [ref]$errors)
        }
        $process = [System.Diagnostics.Process]::GetCurrentProcess()
        $cpu = $process.TotalProcessorTime
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        for ($i = 0; $i -lt $count; $i++) {
            foreach ($text in $texts) {
                [void][System.Management.Automation.Language.Parser]::ParseInput($text, [ref]$tokens, [ref]$errors)
            }
        }
        $watch.Stop()
        $process.Refresh()
        $cpuMs = ($process.TotalProcessorTime - $cpu).TotalMilliseconds
        $invariant = [cultureinfo]::InvariantCulture
        $stdout.WriteLine('{"ms":' + $watch.Elapsed.TotalMilliseconds.ToString($invariant) + ',"cpuMs":' + $cpuMs.ToString($invariant) + '}')
        $stdout.Flush()
        continue
    }
    $text = $utf8.GetString([System.Convert]::FromBase64String($line.Substring(2)))
    $tokens = $null
    $errors = $null
    [void][System.Management.Automation.Language.Parser]::ParseInput($text, [ref]$tokens, [ref]$errors)
    $sb = [System.Text.StringBuilder]::new('{"t":[')
    $first = $true
    foreach ($token in $(if ($line.StartsWith('E ')) { @() } else { $tokens })) {
        if (-not $first) { [void]$sb.Append(',') }
        $first = $false
        [void]$sb.Append('["').Append($token.Kind).Append('",').Append([long]$token.TokenFlags).Append(',').Append($token.Extent.StartOffset).Append(',').Append($token.Extent.EndOffset).Append(']')
    }
    [void]$sb.Append('],"e":[')
    $first = $true
    foreach ($parseError in $errors) {
        if (-not $first) { [void]$sb.Append(',') }
        $first = $false
        [void]$sb.Append('[').Append($parseError.Extent.StartOffset).Append(',').Append($parseError.Extent.EndOffset).Append(',"').Append($parseError.ErrorId).Append('"]')
    }
    [void]$sb.Append(']}')
    $stdout.WriteLine($sb.ToString())
    $stdout.Flush()
}
