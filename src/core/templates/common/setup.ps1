<#
.SYNOPSIS
Enrolls this Windows device into Ivanti Neurons for MDM with a PIN-based provisioning package.

.DESCRIPTION
Runs unattended under Windows PowerShell 5.1 and PowerShell 7, elevated (SYSTEM, LocalSystem or
an administrator). It reads two files shipped beside it:
  pinpack-settings.json  non-secret settings: package name, UPN mode, AD domain, discovery URL
  pinpack-pins.json      the PIN of each user, with its expiry (24 hours after generation)
It resolves the enrollment UPN by the settings' upnMode:
  device         <COMPUTERNAME>@<adDomain>
  user           the signed-in user's UPN (whoami /upn), else the directory's UPN or mail;
                 under SYSTEM, the user signed in at the console
  recorded-user  the identity that step 1 recorded in pinpack-identity.json
It refuses a UPN with any space (Unicode spaces included) and an expired PIN, finds ICD.exe
(Windows Configuration Designer), writes the customizations XML, builds the .ppkg and installs it
quietly. Whatever happens, the PIN file, the XML and the .ppkg are deleted before it exits.
Each run appends timestamped lines to setup.pinpack.log (UTF-8 with BOM) in the log folder;
PINs never reach the log.

.PARAMETER PackageRoot
The folder holding pinpack-settings.json and pinpack-pins.json. Default: this script's folder.

.PARAMETER LogFolder
Where the log goes. Default: the settings' logFolder, else %ProgramData%\PinPack\Logs.

.PARAMETER WorkFolder
Where a per-run folder for the XML and the .ppkg is made (and removed). Default: the temp folder.
When the log folder cannot be written (missing rights, disk full), the log goes to
setup.pinpack.log here instead, and the run goes on.

.PARAMETER IcdTimeoutSeconds
How long ICD.exe may take to build the package before it is stopped (exit code 17). Default 1800
(30 minutes; SCCM stops a Run Script after an hour).

.NOTES
Exit codes:
   0  enrolled, or the package was already installed
   1  unexpected error (see the log)
   9  not elevated: run as SYSTEM, LocalSystem or an administrator with UAC elevation
  10  pinpack-settings.json missing or invalid
  11  pinpack-pins.json missing or invalid
  12  no enrollment UPN could be determined (no signed-in user, no AD domain, no recorded identity)
  13  the UPN contains a space or is not of the form user@domain
  14  the PIN file holds no PIN for this UPN
  15  this UPN's PIN has expired: generate a new one and rebuild the package
  16  ICD.exe not found: install Windows Configuration Designer first
  17  ICD.exe failed to build the provisioning package, or did not finish within IcdTimeoutSeconds
  18  Install-ProvisioningPackage failed
  19  enrollment ran, but a file holding the PIN could not be deleted
#>
[CmdletBinding()]
param(
    [string] $PackageRoot = $PSScriptRoot,
    [string] $LogFolder,
    [string] $WorkFolder = [System.IO.Path]::GetTempPath(),
    [ValidateRange(1, 86400)][int] $IcdTimeoutSeconds = 1800
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$script:Secrets = [System.Collections.Generic.List[string]]::new()
$script:LogFile = $null
$script:FallbackLogFile = Join-Path $WorkFolder 'setup.pinpack.log'
$script:Utf8Bom = [System.Text.UTF8Encoding]::new($true)
$script:Invariant = [System.Globalization.CultureInfo]::InvariantCulture

function Write-PinPackLog {
    param([Parameter(Mandatory = $true)][string] $Message, [string] $Level = 'INFO')
    foreach ($secret in $script:Secrets) {
        if ($secret.Length -gt 0) { $Message = $Message.Replace($secret, '******') }
    }
    $line = '{0} {1} {2}' -f [DateTime]::UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", $script:Invariant), $Level, $Message
    if ($null -eq $script:LogFile) { return }
    try {
        [System.IO.File]::AppendAllText($script:LogFile, $line + [Environment]::NewLine, $script:Utf8Bom)
    }
    catch {
        # A log that cannot be written (no rights, disk full) must never stop the enrollment or
        # the deletion of the PIN file: log in the work folder instead, else not at all.
        $failed = $script:LogFile
        $script:LogFile = $null
        if ($failed -ne $script:FallbackLogFile) {
            $script:LogFile = $script:FallbackLogFile
            Write-PinPackLog ('The log {0} could not be written ({1}); logging here instead.' -f $failed, $_.Exception.Message) 'WARN'
            Write-PinPackLog $Message $Level
        }
    }
}

function Stop-PinPackRun {
    param([Parameter(Mandatory = $true)][int] $Code, [Parameter(Mandatory = $true)][string] $Message)
    $exception = [System.InvalidOperationException]::new($Message)
    $exception.Data['PinPackExitCode'] = $Code
    throw $exception
}

function Get-PinPackField {
    param($Object, [Parameter(Mandatory = $true)][string] $Name)
    if ($null -eq $Object) { return $null }
    $property = $Object.PSObject.Properties[$Name]
    if ($null -eq $property) { return $null }
    return $property.Value
}

function Read-PinPackJson {
    param([Parameter(Mandatory = $true)][string] $Path)
    return ([System.IO.File]::ReadAllText($Path) | ConvertFrom-Json)
}

function Test-PinPackUpn {
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string] $Upn)
    # \s in .NET covers the Unicode spaces (U+3000, U+00A0, ...); the zero-width ones are listed.
    if ($Upn -match '[\s\u200B\uFEFF]') {
        Stop-PinPackRun 13 ("The UPN '{0}' contains a space: enrollment fails for such user names; fix the user name in the directory." -f $Upn)
    }
    if ($Upn.Contains([string][char]0xFF20)) {
        Stop-PinPackRun 13 ("The UPN '{0}' contains a full-width at sign: it must be the ASCII @." -f $Upn)
    }
    if ($Upn -notmatch '^[^@]+@[^@]+\.[^@]+$') {
        Stop-PinPackRun 13 ("The UPN '{0}' is not of the form user@domain." -f $Upn)
    }
}

function Invoke-PinPackNative {
    param([Parameter(Mandatory = $true)][string] $FilePath, [string[]] $ArgumentList = @())
    # Windows PowerShell turns native stderr into terminating errors under 'Stop': relax it here
    # and judge the tool by its exit code instead.
    $previous = $ErrorActionPreference
    $ErrorActionPreference = 'Continue'
    try {
        $output = @(& $FilePath @ArgumentList 2>&1 | ForEach-Object { [string]$_ })
        $code = $LASTEXITCODE
    }
    finally {
        $ErrorActionPreference = $previous
    }
    return [pscustomobject]@{ Output = $output; ExitCode = $code }
}

function Invoke-PinPackIcd {
    param(
        [Parameter(Mandatory = $true)][string] $FilePath,
        [Parameter(Mandatory = $true)][string[]] $ArgumentList,
        [Parameter(Mandatory = $true)][int] $TimeoutSeconds
    )
    # ICD.exe can hang (a dialog nobody sees, a locked file): run it with a deadline and stop it
    # when the deadline passes, so the PIN files are still deleted and the run ends.
    $info = [System.Diagnostics.ProcessStartInfo]::new()
    $info.FileName = $FilePath
    $info.Arguments = (@($ArgumentList | ForEach-Object { if ($_ -match '\s') { '"' + $_ + '"' } else { $_ } }) -join ' ')
    $info.UseShellExecute = $false
    $info.CreateNoWindow = $true
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($info)
    $reads = @($process.StandardOutput.ReadToEndAsync(), $process.StandardError.ReadToEndAsync())
    $timedOut = -not $process.WaitForExit($TimeoutSeconds * 1000)
    if ($timedOut) {
        try { $process.Kill() } catch { Write-PinPackLog ('ICD.exe could not be stopped: {0}' -f $_.Exception.Message) 'WARN' }
        [void]$process.WaitForExit(10000)
    }
    else {
        $process.WaitForExit()
    }
    $output = @()
    foreach ($read in $reads) {
        if ($read.Wait(5000)) { $output += @($read.Result -split '\r?\n' | Where-Object { $_ -ne '' }) }
    }
    $code = $null
    if (-not $timedOut) { $code = $process.ExitCode }
    return [pscustomobject]@{ Output = $output; ExitCode = $code; TimedOut = $timedOut }
}

function Test-PinPackElevated {
    # The mandatory label SIDs are the same in every Windows language: High (S-1-16-12288) or
    # System (S-1-16-16384) means elevated, Medium (S-1-16-8192) means a filtered token.
    # $null: the label could not be read, so the run goes on and ICD.exe judges.
    $groups = $null
    try { $groups = Invoke-PinPackNative -FilePath 'whoami.exe' -ArgumentList @('/groups') } catch { return $null }
    $text = @($groups.Output) -join "`n"
    if ($text -match 'S-1-16-(12288|16384)') { return $true }
    if ($text -match 'S-1-16-8192') { return $false }
    return $null
}

function Find-PinPackDirectoryUpn {
    param([Parameter(Mandatory = $true)][string] $SamAccountName)
    try {
        # RFC 4515 escaping: a name is data, never part of the filter.
        $escaped = $SamAccountName.Replace('\', '\5c').Replace('*', '\2a').Replace('(', '\28').Replace(')', '\29')
        $filter = '(&(objectCategory=person)(sAMAccountName={0}))' -f $escaped
        $searcher = New-Object -TypeName System.DirectoryServices.DirectorySearcher -ArgumentList $filter
        $found = $searcher.FindOne()
    }
    catch {
        Write-PinPackLog ("The directory could not be searched for {0}: {1}" -f $SamAccountName, $_.Exception.Message) 'WARN'
        return $null
    }
    if ($null -eq $found) { return $null }
    foreach ($attribute in @('userprincipalname', 'mail')) {
        $values = $found.Properties[$attribute]
        if ($null -ne $values -and @($values).Count -gt 0 -and [string]@($values)[0]) { return [string]@($values)[0] }
    }
    return $null
}

function Get-PinPackSignedInUpn {
    $isSystem = ($env:USERNAME -eq ($env:COMPUTERNAME + '$'))
    if (-not $isSystem) {
        $whoami = $null
        try { $whoami = Invoke-PinPackNative -FilePath 'whoami.exe' -ArgumentList @('/upn') } catch { $whoami = $null }
        if ($null -ne $whoami -and $whoami.ExitCode -eq 0 -and @($whoami.Output).Count -gt 0) {
            $upn = ([string]@($whoami.Output)[0]).Trim()
            if ($upn) { return $upn }
        }
        $fromDirectory = Find-PinPackDirectoryUpn -SamAccountName $env:USERNAME
        if ($fromDirectory) { return $fromDirectory }
        Stop-PinPackRun 12 ("The UPN of the signed-in user {0} could not be found (whoami /upn and the directory gave none)." -f $env:USERNAME)
    }
    $account = (Get-CimInstance -ClassName Win32_ComputerSystem).UserName
    if (-not $account) {
        Stop-PinPackRun 12 'No user is signed in at the console: run the package again while the user is signed in.'
    }
    $sam = ([string]$account).Split('\')[-1]
    $fromDirectory = Find-PinPackDirectoryUpn -SamAccountName $sam
    if ($fromDirectory) { return $fromDirectory }
    Stop-PinPackRun 12 ("The UPN of the console user {0} could not be found in the directory." -f $account)
}

function Resolve-PinPackUpn {
    param([Parameter(Mandatory = $true)] $Settings, [Parameter(Mandatory = $true)][string] $Root)
    $mode = [string](Get-PinPackField $Settings 'upnMode')
    switch ($mode) {
        'device' {
            $domain = [string](Get-PinPackField $Settings 'adDomain')
            if (-not $domain) { Stop-PinPackRun 12 'The settings give no adDomain, which the device UPN mode needs: set device.adDomain in pinpack.json and rebuild.' }
            if (-not $env:COMPUTERNAME) { Stop-PinPackRun 12 'The device name (COMPUTERNAME) is not set.' }
            return ('{0}@{1}' -f $env:COMPUTERNAME, $domain)
        }
        'user' { return (Get-PinPackSignedInUpn) }
        'recorded-user' {
            $identityPath = Join-Path $Root 'pinpack-identity.json'
            if (-not (Test-Path -LiteralPath $identityPath -PathType Leaf)) {
                Stop-PinPackRun 12 ('No identity was recorded ({0} is missing): run step 1 as the user first.' -f $identityPath)
            }
            $recorded = [string](Get-PinPackField (Read-PinPackJson $identityPath) 'upn')
            if (-not $recorded) { Stop-PinPackRun 12 ('{0} records no upn: run step 1 again.' -f $identityPath) }
            return $recorded
        }
        default { Stop-PinPackRun 10 ("The settings' upnMode '{0}' is unknown: rebuild the package." -f $mode) }
    }
}

function ConvertTo-PinPackUtc {
    param([Parameter(Mandatory = $true)] $Value)
    # PowerShell 7's ConvertFrom-Json already turns ISO 8601 strings into DateTime; 5.1 does not.
    if ($Value -is [datetime]) { return $Value.ToUniversalTime() }
    $styles = [System.Globalization.DateTimeStyles]::AdjustToUniversal -bor [System.Globalization.DateTimeStyles]::AssumeUniversal
    return [DateTime]::Parse([string]$Value, $script:Invariant, $styles)
}

function Find-PinPackIcd {
    $kitsKey = 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows Kits\Installed Roots'
    $kitsRoot = $null
    try { $kitsRoot = Get-PinPackField (Get-ItemProperty -LiteralPath $kitsKey -Name 'KitsRoot10') 'KitsRoot10' } catch { $kitsRoot = $null }
    if ($kitsRoot) {
        $candidate = $kitsRoot
        foreach ($segment in @('Assessment and Deployment Kit', 'Imaging and Configuration Designer', 'x86', 'ICD.exe')) {
            $candidate = Join-Path $candidate $segment
        }
        if (Test-Path -LiteralPath $candidate -PathType Leaf) { return $candidate }
    }
    # The Microsoft Store edition of Windows Configuration Designer (inferred location of ICD.exe).
    $apps = @()
    try { $apps = @(Get-AppxPackage -AllUsers -Name 'Microsoft.WindowsConfigurationDesigner*') } catch { $apps = @() }
    foreach ($app in $apps) {
        $location = Get-PinPackField $app 'InstallLocation'
        if ($location) {
            $candidate = Join-Path $location 'ICD.exe'
            if (Test-Path -LiteralPath $candidate -PathType Leaf) { return $candidate }
        }
    }
    return $null
}

function ConvertTo-PinPackXmlText {
    param([AllowEmptyString()][string] $Value)
    return [System.Security.SecurityElement]::Escape($Value)
}

function New-PinPackCustomization {
    # ICD reads the PIN as text from the customizations XML; the XML is deleted in the finally below.
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSAvoidUsingPlainTextForPassword', '')]
    param(
        [Parameter(Mandatory = $true)][string] $Path,
        [Parameter(Mandatory = $true)][string] $PackageName,
        [Parameter(Mandatory = $true)][string] $Upn,
        [Parameter(Mandatory = $true)][string] $DiscoveryUrl,
        [Parameter(Mandatory = $true)][string] $Pin
    )
    $id = [guid]::NewGuid().ToString('B')
    $name = ConvertTo-PinPackXmlText $PackageName
    $user = ConvertTo-PinPackXmlText $Upn
    $url = ConvertTo-PinPackXmlText $DiscoveryUrl
    $secret = ConvertTo-PinPackXmlText $Pin
    $xml = @"
<?xml version="1.0" encoding="utf-8"?>
<WindowsCustomizations>
  <PackageConfig xmlns="urn:schemas-Microsoft-com:Windows-ICD-Package-Config.v1.0">
    <ID>$id</ID>
    <Name>$name</Name>
    <Version>1.0</Version>
    <OwnerType>ITAdmin</OwnerType>
    <Rank>0</Rank>
  </PackageConfig>
  <Settings xmlns="urn:schemas-microsoft-com:windows-provisioning">
    <Customizations>
      <Common>
        <Workplace>
          <Enrollments>
            <UPN UPN="$user" Name="$user">
              <AuthPolicy>OnPremise</AuthPolicy>
              <DiscoveryServiceFullUrl>$url</DiscoveryServiceFullUrl>
              <Secret>$secret</Secret>
            </UPN>
          </Enrollments>
        </Workplace>
      </Common>
    </Customizations>
  </Settings>
</WindowsCustomizations>
"@
    [System.IO.File]::WriteAllText($Path, $xml, [System.Text.UTF8Encoding]::new($false))
}

function Test-PinPackInstalled {
    param([Parameter(Mandatory = $true)][string] $PackageName)
    try {
        $installed = @(Get-ProvisioningPackage -AllInstalledPackages | Where-Object { (Get-PinPackField $_ 'PackageName') -eq $PackageName })
    }
    catch {
        Write-PinPackLog ('Installed provisioning packages could not be listed: {0}' -f $_.Exception.Message) 'WARN'
        return $false
    }
    return ($installed.Count -gt 0)
}

function Remove-PinPackFile {
    param([string] $Path)
    if (-not $Path -or -not (Test-Path -LiteralPath $Path)) { return $true }
    # An antivirus scan or a backup agent may hold the file for a moment: try a few times.
    for ($attempt = 1; $attempt -le 5; $attempt++) {
        try {
            Remove-Item -LiteralPath $Path -Recurse -Force
            Write-PinPackLog ('Deleted {0}' -f $Path)
            return $true
        }
        catch {
            $problem = $_.Exception.Message
            if ($attempt -lt 5) { Start-Sleep -Milliseconds (250 * $attempt) }
        }
    }
    Write-PinPackLog ('Could not delete {0}: {1}' -f $Path, $problem) 'ERROR'
    return $false
}

$settingsPath = Join-Path $PackageRoot 'pinpack-settings.json'
$pinFilePath = Join-Path $PackageRoot 'pinpack-pins.json'
$runFolder = Join-Path $WorkFolder ('PinPack-' + [guid]::NewGuid().ToString('N'))
$xmlPath = Join-Path $runFolder 'customizations.xml'
$ppkgPath = Join-Path $runFolder 'PinPack.ppkg'
$exitCode = 1
$summary = 'unexpected error'

$settings = $null
$settingsProblem = $null
try {
    if (-not (Test-Path -LiteralPath $settingsPath -PathType Leaf)) { throw ('{0} is missing' -f $settingsPath) }
    $settings = Read-PinPackJson $settingsPath
}
catch {
    $settingsProblem = $_.Exception.Message
}

if (-not $LogFolder) {
    $LogFolder = [string](Get-PinPackField $settings 'logFolder')
    if (-not $LogFolder) { $LogFolder = Join-Path $env:ProgramData 'PinPack\Logs' }
}

try {
    try {
        if (-not (Test-Path -LiteralPath $LogFolder)) { New-Item -ItemType Directory -Path $LogFolder -Force | Out-Null }
        $script:LogFile = Join-Path $LogFolder 'setup.pinpack.log'
    }
    catch {
        $script:LogFile = $script:FallbackLogFile
        Write-PinPackLog ('The log folder {0} could not be created ({1}); logging here instead.' -f $LogFolder, $_.Exception.Message) 'WARN'
    }
    Write-PinPackLog ('PinPack setup started from {0} (PowerShell {1}, user {2})' -f $PackageRoot, $PSVersionTable.PSVersion, $env:USERNAME)

    if ($null -ne $settingsProblem) { Stop-PinPackRun 10 ('The settings file could not be read: {0}' -f $settingsProblem) }
    $packageName = [string](Get-PinPackField $settings 'packageName')
    $discoveryUrl = [string](Get-PinPackField $settings 'discoveryUrl')
    if (-not $packageName -or -not $discoveryUrl) { Stop-PinPackRun 10 ('{0} lacks packageName or discoveryUrl: rebuild the package.' -f $settingsPath) }

    $pinFile = $null
    try {
        if (-not (Test-Path -LiteralPath $pinFilePath -PathType Leaf)) { throw ('{0} is missing' -f $pinFilePath) }
        $pinFile = Read-PinPackJson $pinFilePath
    }
    catch {
        Stop-PinPackRun 11 ('The PIN file could not be read: {0}. Rebuild the package with fresh PINs.' -f $_.Exception.Message)
    }
    $pins = @(Get-PinPackField $pinFile 'pins')
    foreach ($entry in $pins) {
        $pin = [string](Get-PinPackField $entry 'pin')
        if ($pin) { $script:Secrets.Add($pin) }
    }

    $elevated = Test-PinPackElevated
    if ($elevated -eq $false) {
        Stop-PinPackRun 9 'This process is not elevated: building and installing a provisioning package needs administrative rights (EPM case 3b: turn UAC off first).'
    }
    if ($null -eq $elevated) { Write-PinPackLog 'The elevation could not be determined; going on.' 'WARN' }

    if (Test-PinPackInstalled -PackageName $packageName) {
        $exitCode = 0
        $summary = ('the provisioning package {0} is already installed' -f $packageName)
        Write-PinPackLog ('Nothing to do: {0}.' -f $summary)
    }
    else {
        $upn = Resolve-PinPackUpn -Settings $settings -Root $PackageRoot
        Write-PinPackLog ('Enrollment UPN: {0}' -f $upn)
        Test-PinPackUpn -Upn $upn

        $match = @($pins | Where-Object { ([string](Get-PinPackField $_ 'upn')) -ieq $upn })
        if ($match.Count -eq 0) { Stop-PinPackRun 14 ('The PIN file holds no PIN for {0}: add the user to the package and rebuild it.' -f $upn) }
        $pin = [string](Get-PinPackField $match[0] 'pin')
        if (-not $pin) { Stop-PinPackRun 14 ('The PIN of {0} is empty: rebuild the package.' -f $upn) }
        $expiresAt = $null
        try { $expiresAt = ConvertTo-PinPackUtc (Get-PinPackField $match[0] 'expiresAt') } catch { Stop-PinPackRun 11 ('The expiry of the PIN of {0} is not a date: rebuild the package.' -f $upn) }
        if ($expiresAt -le [DateTime]::UtcNow) {
            Stop-PinPackRun 15 ('The PIN of {0} expired at {1}: generate a new PIN and rebuild the package.' -f $upn, $expiresAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", $script:Invariant))
        }
        Write-PinPackLog ('PIN found for {0}, valid until {1}' -f $upn, $expiresAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", $script:Invariant))

        $icd = Find-PinPackIcd
        if (-not $icd) { Stop-PinPackRun 16 'ICD.exe was not found: install Windows Configuration Designer (Windows ADK or Microsoft Store) on the device first.' }
        Write-PinPackLog ('ICD.exe: {0}' -f $icd)

        New-Item -ItemType Directory -Path $runFolder -Force | Out-Null
        New-PinPackCustomization -Path $xmlPath -PackageName $packageName -Upn $upn -DiscoveryUrl $discoveryUrl -Pin $pin
        $build = Invoke-PinPackIcd -FilePath $icd -ArgumentList @('/Build-ProvisioningPackage', ('/CustomizationXML:' + $xmlPath), ('/PackagePath:' + $ppkgPath), '+Overwrite') -TimeoutSeconds $IcdTimeoutSeconds
        foreach ($line in @($build.Output | Select-Object -Last 40)) { Write-PinPackLog ('ICD: {0}' -f $line) }
        if ($build.TimedOut) {
            Stop-PinPackRun 17 ('ICD.exe did not finish within {0} seconds and was stopped: run the package again, and check that Windows Configuration Designer opens on this device.' -f $IcdTimeoutSeconds)
        }
        if ($build.ExitCode -ne 0 -or -not (Test-Path -LiteralPath $ppkgPath -PathType Leaf)) {
            Stop-PinPackRun 17 ('ICD.exe could not build the provisioning package (exit code {0}).' -f $build.ExitCode)
        }
        Write-PinPackLog 'Provisioning package built.'

        $provisioningLogs = Join-Path $LogFolder 'Provisioning'
        try {
            Install-ProvisioningPackage -PackagePath $ppkgPath -QuietInstall -ForceInstall -LogsDirectoryPath $provisioningLogs | Out-Null
        }
        catch {
            Stop-PinPackRun 18 ('Install-ProvisioningPackage failed: {0}. See the ProvTrace logs in {1}.' -f $_.Exception.Message, $provisioningLogs)
        }
        $exitCode = 0
        $summary = ('{0} enrolled with the provisioning package {1}' -f $upn, $packageName)
        Write-PinPackLog ('Done: {0}.' -f $summary)
    }
}
catch {
    $code = $_.Exception.Data['PinPackExitCode']
    if ($null -eq $code) {
        $exitCode = 1
        $summary = ('unexpected error: {0}' -f $_.Exception.Message)
    }
    else {
        $exitCode = [int]$code
        $summary = $_.Exception.Message
    }
    Write-PinPackLog ('Failed with exit code {0}: {1}' -f $exitCode, $summary) 'ERROR'
}
finally {
    # The vendor's rule: once the attempt is over, nothing that holds the PIN stays on the device.
    $deleted = $true
    foreach ($path in @($pinFilePath, $xmlPath, $ppkgPath, $runFolder)) {
        if (-not (Remove-PinPackFile -Path $path)) { $deleted = $false }
    }
    if (-not $deleted -and $exitCode -eq 0) {
        $exitCode = 19
        $summary = 'a file holding the PIN could not be deleted; delete it by hand'
    }
    Write-PinPackLog ('PinPack setup finished with exit code {0}' -f $exitCode)
}

foreach ($secret in $script:Secrets) {
    if ($secret.Length -gt 0) { $summary = $summary.Replace($secret, '******') }
}
Write-Output ('PinPack setup: exit {0}: {1}' -f $exitCode, $summary)
exit $exitCode
