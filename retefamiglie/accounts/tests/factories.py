import factory
from allauth.account.models import EmailAddress

from retefamiglie.accounts.models import User

PASSWORD = "una-password-lunga-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persona{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Persona {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.get_or_create(
                user=self,
                email=self.email,
                defaults={"verified": True, "primary": True},
            )


class CoordinatorFactory(UserFactory):
    is_coordinator = True


class MunicipalOfficerFactory(UserFactory):
    is_municipal_officer = True


class SuperuserFactory(UserFactory):
    is_superuser = True
    is_staff = True
