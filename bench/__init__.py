"""plc's benchmarks: ``python -m bench`` measures every scenario and rewrites BENCHMARKS.md.

Kept free of imports on purpose: ``python -m bench.first_paint`` (the child process
timed by the start-up scenario) imports this package first, and anything imported
here would be counted in the minimal Textual app's start-up too.
"""
