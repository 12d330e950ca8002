"""Haven: reception, protection and support of victims of human trafficking."""
