"""The learner's pages: their training, lessons and quizzes."""

from awareness.learn.routes import bp

__all__ = ["bp"]
