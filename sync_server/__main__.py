from sync_server.cli import main

main()
