FROM mcr.microsoft.com/windows/servercore:ltsc2022
USER ContainerAdministrator
CMD ping -t localhost

FROM debian:12-slim
USER app
CMD sleep infinity
