"""Prints a greeting; the container's entry point."""


def greeting(name: str = "world") -> str:
    return f"Hello, {name}, from a non-root, pinned, multi-stage image."


def main() -> None:
    print(greeting())


if __name__ == "__main__":
    main()
