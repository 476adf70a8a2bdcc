import io
import unittest
from contextlib import redirect_stdout

from app.main import greeting, main


class GreetingTest(unittest.TestCase):
    def test_greets_by_name(self) -> None:
        self.assertTrue(greeting("Ada").startswith("Hello, Ada"))

    def test_main_prints_the_greeting(self) -> None:
        out = io.StringIO()
        with redirect_stdout(out):
            main()
        self.assertEqual(out.getvalue().strip(), greeting())


if __name__ == "__main__":
    unittest.main()
