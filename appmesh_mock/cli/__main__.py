"""`python -m appmesh_mock.cli`: the console command."""

import sys

from .commands import main

sys.exit(main())
