from tracer.cli.app import main

main()
