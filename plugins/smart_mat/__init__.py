"""Food services (Smart Mat): meals for home-dwelling elderly – menu and nutrition, the 14
allergens, ordering, delivery and cold chain, user satisfaction and food waste."""
