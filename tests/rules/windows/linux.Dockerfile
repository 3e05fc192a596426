FROM debian:12-slim
RUN Invoke-WebRequest -Uri https://example.com/tool.zip -OutFile C:\tool.zip; \
    Expand-Archive C:\tool.zip -DestinationPath C:\tool; \
    Remove-Item C:\tool.zip -Force
RUN wget -Uri https://example.com/a.msi -OutFile C:\a.msi; \
    curl -Uri https://example.com/b.msi -OutFile C:\b.msi; \
    Start-Process msiexec.exe -ArgumentList '/i', 'C:\a.msi', '/qn' -Wait
RUN Get-ChildItem C:\tool | Where-Object { $_.Name -like '*.txt' } | Remove-Item
RUN choco install -y git --version 2.44.0
RUN Install-PackageProvider -Name NuGet -Force; Install-Module -Name Pester -Force
RUN Set-Location C:\tool; .\setup.exe /quiet | Out-Null
RUN cmd /c 'mkdir C:\app && echo done > C:\app\ready.txt'
RUN apt-get update; apt-get install -y curl; sudo useradd -u 12345678 app; ln -sf /bin/bash /bin/sh
RUN pip install requests
RUN pip install --no-cache-dir requests==2.32.3
RUN mkdir C:\app && copy C:\Windows\win.ini C:\app\ && cd C:\app
RUN setx /M PATH "%PATH%;C:\app"
RUN powershell -Command "$ErrorActionPreference = 'Stop'; Invoke-WebRequest https://example.com/a.zip -OutFile C:\a.zip; Expand-Archive C:\a.zip C:\a"
RUN curl -fsSL https://example.com/tool.exe -o C:\tool.exe | findstr /v progress
RUN wget https://example.com/b.exe && cd /d C:\src && build.cmd
RUN apt-get install curl && apk add git && yum install make
