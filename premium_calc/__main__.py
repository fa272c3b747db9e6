from premium_calc.cli import main

main()
