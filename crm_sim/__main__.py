"""`python -m crm_sim serve ...`, the same as the `crm-sim` command."""

import sys

from crm_sim.cli import main

sys.exit(main())
