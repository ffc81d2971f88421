from nanosheet.cli import main

main()
