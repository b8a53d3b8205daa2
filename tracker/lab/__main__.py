from tracker.lab.cli import main

main()
