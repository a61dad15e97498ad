"""Board events over the channel layer. Consumers deliver; they never decide."""

BOARD_GROUP = "board"
