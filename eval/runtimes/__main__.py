from eval.runtimes import main

raise SystemExit(main())
