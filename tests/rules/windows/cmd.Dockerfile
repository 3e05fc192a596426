FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
RUN mkdir C:\app && copy C:\Windows\win.ini C:\app\ && cd C:\app
RUN setx /M PATH "%PATH%;C:\app"
RUN powershell -Command "$ErrorActionPreference = 'Stop'; Invoke-WebRequest https://example.com/a.zip -OutFile C:\a.zip; Expand-Archive C:\a.zip C:\a"
RUN curl -fsSL https://example.com/tool.exe -o C:\tool.exe | findstr /v progress
RUN wget https://example.com/b.exe && cd /d C:\src && build.cmd
RUN apt-get install curl && apk add git && yum install make
