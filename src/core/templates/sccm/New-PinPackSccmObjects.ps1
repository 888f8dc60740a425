<#
.SYNOPSIS
Creates the ConfigMgr objects for a PinPack package: the Package, its Program (the copier),
the content distribution and the Run Script that enrolls. Run it on the SCCM admin's machine.

.DESCRIPTION
Uses the ConfigurationManager module of the Configuration Manager console:
  1. New-CMPackage                 source folder = the unpacked package (a UNC path the site reads)
  2. New-CMProgram                 pinpack-copy.bat <Destination>; run mode Hidden, with
                                   administrative rights, whether or not a user is logged on
  3. Start-CMContentDistribution   to the given distribution points or groups
  4. New-CMScript                  a Run Script that runs <Destination>\setup.ps1 as SYSTEM
Deploy the program to a collection afterwards, then approve the script (Software Library >
Scripts; by default the author cannot approve their own script) and run it on the same devices.
Run with -WhatIf first: it shows every object it would create and creates none.

.PARAMETER SiteCode
The site code, e.g. PS1: the script works on the <SiteCode>: drive.

.PARAMETER SourcePath
The package source folder as the site server reads it, e.g. \\server\sources\PinPack\Sales
(256 characters at most).

.PARAMETER PackageName
The name of the Package and the prefix of the Run Script's name.

.PARAMETER Destination
Where pinpack-copy.bat puts the package on the device; the Run Script runs setup.ps1 there.

.PARAMETER DistributionPointName
Distribution points to send the content to.

.PARAMETER DistributionPointGroupName
Distribution point groups to send the content to.

.EXAMPLE
.\New-PinPackSccmObjects.ps1 -SiteCode PS1 -SourcePath \\cm01\sources\PinPack\Sales -DistributionPointGroupName 'All DPs' -WhatIf

.NOTES
Exit codes:
  0  every object was created (or, with -WhatIf, would be)
  1  a step failed; the message names it. Objects made before it are kept: remove them in the console.
#>
[CmdletBinding(SupportsShouldProcess = $true)]
param(
    [Parameter(Mandatory = $true)][ValidatePattern('^[A-Za-z0-9]{3}$')][string] $SiteCode,
    [Parameter(Mandatory = $true)][ValidateLength(1, 256)][string] $SourcePath,
    [string] $PackageName = 'PinPack enrollment',
    [string] $Destination = 'C:\ProgramData\PinPack\Package',
    [string[]] $DistributionPointName = @(),
    [string[]] $DistributionPointGroupName = @()
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

function Import-PinPackConfigurationManager {
    if (Get-Command -Name New-CMPackage -ErrorAction SilentlyContinue) { return }
    if (-not $env:SMS_ADMIN_UI_PATH) {
        throw 'The ConfigurationManager module was not found: run this on a machine with the Configuration Manager console.'
    }
    Import-Module (Join-Path (Split-Path -Parent $env:SMS_ADMIN_UI_PATH) 'ConfigurationManager.psd1')
}

if ($Destination.Contains("'")) {
    Write-Error 'The destination must not contain a single quote: Run Script parameters and text cannot carry one.' -ErrorAction Continue
    exit 1
}

$scriptName = '{0} - run setup.ps1' -f $PackageName
# A device path, joined as text: this machine need not have the device's drives.
$setupPath = $Destination.TrimEnd('\') + '\setup.ps1'
# The Run Script runs as SYSTEM in 64-bit PowerShell; setup.ps1 resolves the UPN itself.
$runScriptText = @"
`$setup = '$setupPath'
if (-not (Test-Path -LiteralPath `$setup)) { Write-Output "`$setup is missing: deploy the PinPack copy program first."; exit 2 }
& `$setup
exit `$LASTEXITCODE
"@

try {
    Import-PinPackConfigurationManager
    Push-Location -Path ('{0}:' -f $SiteCode)
    try {
        if ($PSCmdlet.ShouldProcess($SourcePath, ('Create the package "{0}"' -f $PackageName))) {
            New-CMPackage -Name $PackageName -Path $SourcePath -Description 'PinPack: PIN-based enrollment into Ivanti Neurons for MDM' | Out-Null
        }
        if ($PSCmdlet.ShouldProcess($PackageName, 'Create the program "PinPack copy" (hidden, administrative rights, whether or not a user is logged on)')) {
            New-CMProgram -PackageName $PackageName -StandardProgramName 'PinPack copy' -CommandLine ('pinpack-copy.bat "{0}"' -f $Destination) `
                -RunType Hidden -RunMode RunWithAdministrativeRights -ProgramRunType WhetherOrNotUserIsLoggedOn -Duration 120 | Out-Null
        }
        if ($DistributionPointName.Count -gt 0 -or $DistributionPointGroupName.Count -gt 0) {
            if ($PSCmdlet.ShouldProcess($PackageName, 'Distribute the content')) {
                $targets = @{}
                if ($DistributionPointName.Count -gt 0) { $targets['DistributionPointName'] = $DistributionPointName }
                if ($DistributionPointGroupName.Count -gt 0) { $targets['DistributionPointGroupName'] = $DistributionPointGroupName }
                Start-CMContentDistribution -PackageName $PackageName @targets | Out-Null
            }
        }
        else {
            Write-Warning 'No distribution point or group was given: distribute the content in the console.'
        }
        if ($PSCmdlet.ShouldProcess($scriptName, 'Create the Run Script')) {
            New-CMScript -ScriptName $scriptName -ScriptText $runScriptText -Fast | Out-Null
        }
    }
    finally {
        Pop-Location
    }
}
catch {
    Write-Error ('PinPack SCCM objects: {0}' -f $_.Exception.Message) -ErrorAction Continue
    exit 1
}
exit 0
