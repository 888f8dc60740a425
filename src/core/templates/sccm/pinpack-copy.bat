@echo off
rem PinPack SCCM copier: copies this package folder onto the device, so that setup.ps1 runs
rem from a fixed local folder. It is the command line of a ConfigMgr Package + Program
rem (run mode Hidden, with administrative rights, whether or not a user is logged on).
rem
rem Usage:  pinpack-copy.bat [destination]
rem         destination defaults to %ProgramData%\PinPack\Package
rem
rem Exit codes (what ConfigMgr reads):
rem   0     copied; robocopy's 0-7 are all success (1 copied, 2 extra, 4 mismatched)
rem   8-16  robocopy failed; its own code is passed on, see the copy log
rem Copy log: %ProgramData%\PinPack\Logs\copy.pinpack.log (UTF-16, readable by Notepad)
setlocal
set "DEST=%~1"
if "%DEST%"=="" set "DEST=%ProgramData%\PinPack\Package"
set "LOGDIR=%ProgramData%\PinPack\Logs"
if not exist "%LOGDIR%\" mkdir "%LOGDIR%"

rem /R and /W are small: robocopy's defaults retry a million times, 30 s apart.
robocopy "%~dp0." "%DEST%" /E /R:2 /W:5 /NP /UNILOG+:"%LOGDIR%\copy.pinpack.log"
set "RC=%ERRORLEVEL%"
if %RC% GEQ 8 (
  endlocal & exit /b %RC%
)
endlocal & exit /b 0
