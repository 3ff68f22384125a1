from negotrack.cli import main

main()
