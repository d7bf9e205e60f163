from disclosure import create_app

app = create_app()
