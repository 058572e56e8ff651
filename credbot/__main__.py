from credbot.cli import main

main()
