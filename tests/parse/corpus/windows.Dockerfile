# escape=`

FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
WORKDIR C:\app
COPY app\ C:\app\
RUN Invoke-WebRequest -Uri https://example.com/tool.zip -OutFile tool.zip ; `
    Expand-Archive tool.zip -DestinationPath C:\tools ; `
    # a comment inside the continuation
    Remove-Item tool.zip
ENV PATH="C:\tools;C:\Windows\system32"
USER ContainerAdministrator
CMD ["C:\\app\\app.exe"]
