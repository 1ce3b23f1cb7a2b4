import sys

from analysis_py.report import main

sys.exit(main())
